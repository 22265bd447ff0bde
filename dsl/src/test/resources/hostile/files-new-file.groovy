// expect: creating objects with 'new'
new File('CANARY').text = 'pwned'
