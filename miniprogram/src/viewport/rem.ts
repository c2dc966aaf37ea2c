/** WeChat sizes rpx itself; only the h5 build needs a root font size (rem.h5.ts). */
export function fitRootFontSize(): void {}
