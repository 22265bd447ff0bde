// expect: (::) are not allowed
def mk = File::new
mk('CANARY').text = 'pwned'
