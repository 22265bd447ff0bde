// expect: using the class 'System'
java.lang.System.exit(3)
