# syntax=docker/dockerfile:1
# Coaching Pilots: one image for the API (default CMD) and the workers
# (docker run <image> node dist/workers/src/main.js).

# --- build: all dependencies, compile the server (dist/) and the tab (tab/dist/) ---------------
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- production dependencies only -------------------------------------------------------------
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ----------------------------------------------------------------------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3978
WORKDIR /app
# Files stay owned by root and read-only to the app user: the process cannot rewrite its own code.
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/tab/dist ./tab/dist
# The demo organisation's HR file, for `--seed-demo`.
COPY --from=build /app/service/seed ./service/seed
USER node
EXPOSE 3978
# Exec form, so node itself receives SIGTERM and runs its ordered shutdown.
CMD ["node", "dist/service/src/main.js"]
