// expect: using the class 'Runtime'
java.lang.Runtime.getRuntime().halt(3)
