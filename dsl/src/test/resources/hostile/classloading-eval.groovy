// expect: using the class 'Eval'
Eval.me('"touch CANARY".execute()')
