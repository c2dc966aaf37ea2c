import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BoardPage } from './BoardPage';
import { text } from './text';

document.title = text.title;
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BoardPage />
  </StrictMode>,
);
