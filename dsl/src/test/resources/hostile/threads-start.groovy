// expect: using the class 'Thread'
Thread.start { job('a') { } }
