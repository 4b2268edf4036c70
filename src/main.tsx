import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/app/App';
import './styles.css';
import { startServiceWorker } from './ui/offline/offline';

startServiceWorker(); // offline copy, and cross-origin isolation on hosts that cannot send the headers

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
