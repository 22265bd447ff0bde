// expect: creating objects with 'new'
new Thread({ -> 'touch CANARY'.execute() } as Runnable).start()
