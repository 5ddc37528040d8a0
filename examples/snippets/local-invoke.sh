# The endpoints of the running local stack are in its state file.
LAMBDA=$(node -p "require('./.kafkaless/local.json').endpoints.lambda")
npx kafkaless topics create orders --partitions 3 --if-not-exists
npx kafkaless topics list
# The Lambda Invoke API itself: a function's reply is its JSON result.
curl -s -X POST "$LAMBDA/2015-03-31/functions/Kafkaless-admin/invocations" -d '{"action":"listTopics"}'
echo
