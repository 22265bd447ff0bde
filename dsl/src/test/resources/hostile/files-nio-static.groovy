// expect: using the class 'Files'
java.nio.file.Files.writeString(java.nio.file.Path.of('CANARY'), 'pwned')
