// expect: 'run' is not allowed || creating objects with 'new'
run(new File('CANARY'), [] as String[])
