// expect: using the class 'Runtime'
Runtime.getRuntime().exec('touch CANARY')
