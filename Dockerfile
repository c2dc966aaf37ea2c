# Multi-stage: build the UIs with dev dependencies, run with production ones as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY admin/package.json admin/
COPY miniprogram/package.json miniprogram/
# npm install, not ci: the lock names optional platform packages some registries lack.
RUN npm install --no-audit --no-fund
COPY . .
RUN node scripts/uis.mjs --force && npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production DATA_DIR=/data PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
COPY admin/package.json admin/
COPY miniprogram/package.json miniprogram/
RUN npm install --no-audit --no-fund --omit=dev --workspaces=false
# Compiled JavaScript (npm run build) with the files it reads at run time copied beside it.
COPY --from=build /app/dist dist
COPY --from=build /app/admin/dist admin/dist
COPY --from=build /app/miniprogram/dist/h5 miniprogram/dist/h5
# The classifier writes its model to dist/nlp/model when it trains at first start.
RUN mkdir -p /data && chown -R node:node /data /app/dist/nlp
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The V8 flags of `npm start` (scripts/start.mjs V8_FLAGS) and `npm run serve`.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=512", "dist/server/main.js"]
