// expect: 'sleep' is not allowed
sleep(1000000)
