// expect: using the class 'Eval'
Eval.x('touch CANARY', 'x.execute()')
