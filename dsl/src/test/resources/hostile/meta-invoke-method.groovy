// expect: 'invokeMethod' is not allowed
'touch CANARY'.invokeMethod('execute', null)
