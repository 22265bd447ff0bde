// expect: creating objects with 'new'
new java.io.File('CANARY').write('pwned')
