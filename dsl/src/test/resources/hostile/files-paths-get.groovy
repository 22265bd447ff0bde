// expect: using the class 'Paths'
java.nio.file.Paths.get('CANARY').write('pwned')
