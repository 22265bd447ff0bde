// expect: creating objects with 'new'
new ProcessBuilder('touch', 'CANARY').start().waitFor()
