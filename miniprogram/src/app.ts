import type { PropsWithChildren } from 'react';
import './app.css';
import { fitRootFontSize } from './viewport/rem';

fitRootFontSize();

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
