// expect: 'with' is not allowed
'touch CANARY'.with { execute() }
