# The handler, run on your machine against the local stack: the AWS SDK's own
# variables point it at the stack's Lambda endpoint (any credentials do).
export AWS_ENDPOINT_URL_LAMBDA=$(node -p "require('./.kafkaless/local.json').endpoints.lambda")
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=kafkaless AWS_SECRET_ACCESS_KEY=kafkaless
export KAFKALESS_PRODUCE_FUNCTION=Kafkaless-produce
npx kafkaless topics create orders --partitions 3 --if-not-exists
npx tsx -e "import('./examples/snippets/order-producer.ts').then(async (m) => console.log(await m.handler({ orderId: 'o-7', total: 3 })))"
