// expect: 'evaluate' is not allowed
evaluate('"touch CANARY".execute()')
