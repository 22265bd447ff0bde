// expect: using the class 'Runtime'
Runtime.runtime.exec('touch CANARY')
