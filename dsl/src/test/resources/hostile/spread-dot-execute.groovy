// expect: 'execute' is not allowed
['touch CANARY']*.execute()
