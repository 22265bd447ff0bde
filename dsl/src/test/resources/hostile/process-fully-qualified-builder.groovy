// expect: creating objects with 'new'
new java.lang.ProcessBuilder('touch', 'CANARY').start()
