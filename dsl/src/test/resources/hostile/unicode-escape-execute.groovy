// expect: Unexpected character: '\'
'touch CANARY'.\u0065xecute()
