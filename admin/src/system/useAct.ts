import { App } from 'antd';

/** Runs one row action, then reloads the list; a refusal is shown as the server worded it. */
export function useAct(reload: () => void) {
  const { message } = App.useApp();
  return async (work: () => Promise<unknown>) => {
    try {
      await work();
      reload();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
}
