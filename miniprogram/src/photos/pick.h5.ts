import type { PickedPhoto } from './pick';

export type { PickedPhoto };

/**
 * A plain file input. Taro's h5 chooseImage decodes every file in the browser and silently
 * drops those it cannot read, so a broken or disguised file would vanish without a word;
 * here every chosen file goes to the server, which says what is wrong with it.
 */
export function pickPhotos(count: number): Promise<PickedPhoto[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.multiple = count > 1;
    input.id = 'photo-file-input';
    input.style.display = 'none';
    document.body.appendChild(input);
    const done = (files: File[]) => {
      input.remove();
      resolve(files.slice(0, count).map((f) => ({ path: URL.createObjectURL(f), size: f.size, name: f.name })));
    };
    input.addEventListener('change', () => done(Array.from(input.files ?? [])));
    input.addEventListener('cancel', () => done([]));
    input.click();
  });
}
