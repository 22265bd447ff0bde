// expect: Unexpected character: '\'
String.\u006detaClass.trim = { -> 'touch CANARY'.execute() }
