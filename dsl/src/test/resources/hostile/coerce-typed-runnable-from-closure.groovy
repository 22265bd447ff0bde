// expect: type 'Runnable' is not allowed
Runnable r = { 'touch CANARY'.execute() }
r.run()
