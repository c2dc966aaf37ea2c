import { zh } from './i18n/zh-CN';

export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/report/index',
    'pages/mine/index',
    'pages/detail/index',
    'pages/query/index',
    'pages/board/index',
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#1763d8',
    navigationBarTitleText: zh.appTitle,
    navigationBarTextStyle: 'white',
    backgroundColor: '#f3f5f8',
  },
  tabBar: {
    color: '#5c6370',
    selectedColor: '#1763d8',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: zh.tabs.home,
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: zh.tabs.mine,
        iconPath: 'assets/tab/mine.png',
        selectedIconPath: 'assets/tab/mine-active.png',
      },
      {
        pagePath: 'pages/query/index',
        text: zh.tabs.query,
        iconPath: 'assets/tab/query.png',
        selectedIconPath: 'assets/tab/query-active.png',
      },
    ],
  },
  permission: {
    'scope.userLocation': { desc: zh.locationPermission },
  },
  requiredPrivateInfos: ['getLocation'],
});
