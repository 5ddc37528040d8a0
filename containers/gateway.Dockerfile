# The kafkaless Kafka gateway, for ECS Fargate on arm64 (linux/arm64).
#
# Its build context is not the repository: it is the folder the CDK
# construct stages at synthesis (lib/infra/gateway-image.ts), holding
#   gateway.mjs, gateway.mjs.map  the esbuild bundle of containers/gateway.ts,
#                                 made with the functions' bundling settings
#                                 (lib/infra/defaults.ts BUNDLING): one file,
#                                 the AWS SDK inside, no node_modules
#   zstd.wasm                     the zstd codec, loaded beside the bundle
#   Dockerfile                    this file
# `cdk deploy` builds and pushes the image from that folder (cdk.out/asset.*).
FROM public.ecr.aws/docker/library/node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY gateway.mjs gateway.mjs.map zstd.wasm ./
USER node
EXPOSE 9092
# The task definition's health check connects to the port (lib/infra/gateway-service.ts).
CMD ["node", "--enable-source-maps", "gateway.mjs"]
