import { defineConfig, type UserConfigExport } from '@tarojs/cli';

// Each target gets its own folder so building h5 after weapp (or the reverse) never wipes the other.
const target = process.env.TARO_ENV ?? 'weapp';

const csv = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export default defineConfig<'webpack5'>(() => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'chengguan-miniprogram',
    date: '2025-11-22',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${target}`,
    plugins: [],
    defineConstants: {
      // The h5 build is served by the API server itself at /m/, so it talks to its own origin.
      // A WeChat build must name the HTTPS domain registered as the mini-program's request domain.
      API_BASE: JSON.stringify(target === 'h5' ? '' : (process.env.TARO_APP_API_BASE ?? 'http://localhost:3000')),
      SUBSCRIBE_TEMPLATE_IDS: JSON.stringify(csv(process.env.TARO_APP_SUBSCRIBE_TEMPLATE_IDS)),
    },
    copy: { patterns: [{ from: 'src/assets/map/', to: `dist/${target}/assets/map/` }], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/m/',
      staticDirectory: 'static',
      // Hash routes keep every page under /m/, so the Koa server needs no route per page.
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      // `npm run dev:h5` serves at http://localhost:10086/m/ and hands API and file requests to a
      // server started with `npm start` (or the one named by TARO_APP_API_PROXY).
      devServer: {
        port: 10086,
        proxy: [{ context: ['/api', '/files'], target: process.env.TARO_APP_API_PROXY ?? 'http://localhost:3000' }],
      },
      webpackChain(chain) {
        // Taro splits only the initial chunks, so every lazily loaded page carries its own copy
        // of the components it uses (~90 KB each). Splitting all chunks shares one cached copy.
        chain.optimization.splitChunks({ ...chain.optimization.get('splitChunks'), chunks: 'all', minSize: 20_000 });
      },
    },
  };
  return config;
});
