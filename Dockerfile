# Builds the bifrost-http gateway. Usage:
#   docker build -t bifrost-ts .
#   docker run -p 8080:8080 -v bifrost-data:/app/data -e OPENAI_API_KEY bifrost-ts
FROM node:22-slim AS build
WORKDIR /app
RUN npm install -g pnpm@10.34.8
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY transports ./transports
COPY plugins ./plugins
COPY tests/package.json ./tests/package.json
RUN pnpm install --frozen-lockfile
RUN pnpm exec turbo run build --filter=@bifrost/http...
RUN pnpm --filter @bifrost/http deploy --prod --legacy /out

FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out /app
# The app directory: the embedded state store (virtual keys, budgets, admin settings) unless config_store names
# Postgres. Mount a volume here to keep it across containers.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 8080
# The binary binds 127.0.0.1 by default; inside a container that would be unreachable through -p, so the image
# binds every interface on purpose. Until auth_config turns admin auth on, the management API (/api/*) answers only
# callers inside the container, and inference needs no virtual key unless client.enforce_auth_on_inference is set:
# turn both on before publishing the port beyond trusted networks (docs/security.md, docs/governance.md).
# -app-dir sits in the entrypoint so that arguments given to `docker run` (which replace CMD) keep the volume.
ENTRYPOINT ["node", "dist/cli.js", "-app-dir", "/app/data"]
CMD ["-host", "0.0.0.0", "-port", "8080"]
