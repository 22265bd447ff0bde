// expect: 'getMetaClass' is not allowed
''.getMetaClass().invokeMethod('touch CANARY', 'execute', null)
