import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Koa server serves the build under /admin/ and answers /api and /files on the same origin,
// so the dev and preview servers proxy both to a locally running server (API_TARGET to point elsewhere).
const server = process.env.API_TARGET ?? 'http://localhost:3000';

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      // The public board (/public/) is a second page of this build, sharing the map component.
      input: { index: 'index.html', board: 'board.html' },
      output: {
        // Named vendor chunks cache across releases. Only the libraries the first screen needs go
        // into "vendor"; the rest of Ant Design stays split per screen.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/ },
            { name: 'ol', test: /node_modules[\\/](ol|rbush|quickselect|earcut|color-[a-z]+)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/, tags: ['$initial'] },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: server },
      '/files': { target: server },
    },
  },
});
