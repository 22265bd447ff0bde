// expect: annotation @SuppressWarnings is not allowed
@SuppressWarnings('all') def x = 1
job('a') { task('t') { sh 'true' } }
