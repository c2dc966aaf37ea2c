/**
 * Taro's h5 previewImage brings a whole swiper library (~170 KB) into the page for what is,
 * here, one photo on a dark background: tap anywhere to close.
 */
export function previewPhotos(_urls: string[], current: string) {
  const layer = document.createElement('div');
  layer.id = 'photo-preview';
  layer.setAttribute(
    'style',
    'position:fixed;inset:0;z-index:1000;background:#000;display:flex;align-items:center;justify-content:center',
  );
  const img = document.createElement('img');
  img.src = current;
  img.setAttribute('style', 'max-width:100%;max-height:100%;object-fit:contain');
  layer.appendChild(img);
  layer.addEventListener('click', () => layer.remove());
  document.body.appendChild(layer);
}
