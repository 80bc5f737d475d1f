# test-rsa2048-pkcs1.pem with its stored exponent1 (d mod (p-1)) plus 2: a damaged key.
import base64, sys
from cryptography.hazmat.primitives.serialization import load_pem_private_key
def der_len(n):
    if n < 128: return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big'); return bytes([0x80 | len(b)]) + b
def der_int(x):
    b = x.to_bytes(x.bit_length() // 8 + 1, 'big')
    return b'\x02' + der_len(len(b)) + b
k = load_pem_private_key(open(sys.argv[1], 'rb').read(), None).private_numbers()
body = b''.join(der_int(x) for x in [0, k.public_numbers.n, k.public_numbers.e, k.d, k.p, k.q, k.dmp1 + 2, k.dmq1, k.iqmp])
b = base64.b64encode(b'\x30' + der_len(len(body)) + body).decode()
print('-----BEGIN RSA PRIVATE KEY-----\n' + '\n'.join(b[i:i+64] for i in range(0, len(b), 64)) + '\n-----END RSA PRIVATE KEY-----')
