import type { FormInstance } from 'antd';

/**
 * The form's values when every field is valid, else null (the invalid fields are already marked
 * on the form). A field that changed just after the click (an input method finishing a word)
 * makes antd call the first check "outOfDate": check again rather than drop the click.
 */
export function validValues<T>(form: FormInstance<T>): Promise<T | null> {
  return form
    .validateFields()
    .catch((err: { outOfDate?: boolean }) => (err?.outOfDate ? form.validateFields().catch(() => null) : null));
}
