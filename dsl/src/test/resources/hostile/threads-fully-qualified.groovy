// expect: using the class 'Thread'
java.lang.Thread.startDaemon { job('a') { } }
