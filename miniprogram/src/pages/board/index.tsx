import { WebView } from '@tarojs/components';
import { apiUrl } from '../../api/http';
import './index.css';

/** The public board (/public/ on the service) inside WeChat; its domain must be a 业务域名 of the mini-program. */
export default function Board() {
  return <WebView src={apiUrl('/public/')} />;
}
