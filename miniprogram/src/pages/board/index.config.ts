import { zh } from '../../i18n/zh-CN';

export default definePageConfig({ navigationBarTitleText: zh.pageTitles.board });
