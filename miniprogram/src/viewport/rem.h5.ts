/**
 * The root font size Taro's px→rem conversion expects (40px at a 750-wide design, kept between 20
 * and 40). Taro's template sets it with an inline script; it lives here instead, in the bundle,
 * so the page runs under a Content-Security-Policy without inline scripts.
 */
export function fitRootFontSize(): void {
  const fit = () => {
    const root = document.documentElement;
    const { width, height } = root.getBoundingClientRect();
    const w = Math.min(...[width, height].filter(Boolean));
    const x = (40 * w) / 750;
    root.style.fontSize = x >= 40 ? '40px' : x <= 20 ? '20px' : `${x}px`;
  };
  window.addEventListener('resize', fit);
  fit();
}
