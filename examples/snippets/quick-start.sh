npx kafkaless topics create orders --partitions 3 --config retention.ms=86400000 --if-not-exists
seq 1 10000 | npx kafkaless produce orders
npx kafkaless consume orders --from-beginning --timeout-ms 2000 --print-offset
npx kafkaless topics describe orders
