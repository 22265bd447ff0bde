// expect: using the class 'Executors'
java.util.concurrent.Executors.newSingleThreadExecutor().submit { job('a') { } }
