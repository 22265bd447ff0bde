// expect: declaring a class
class Evil {
  static { new File('CANARY').text = 'pwned' }
}
job('a') { task('t') { sh 'true' } }
