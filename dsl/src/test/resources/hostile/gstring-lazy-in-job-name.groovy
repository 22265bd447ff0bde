// expect: inside a double-quoted string
job("${-> 'touch CANARY'.execute(); 'a'}") { }
