// expect: 'metaClass' is not allowed
String.metaClass.toUpperCase = { -> 'touch CANARY'.execute() }
