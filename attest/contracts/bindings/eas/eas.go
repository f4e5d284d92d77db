// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package eas

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// Attestation is an auto generated low-level Go binding around an user-defined struct.
type Attestation struct {
	Uid            [32]byte
	Schema         [32]byte
	Time           uint64
	ExpirationTime uint64
	RevocationTime uint64
	RefUID         [32]byte
	Recipient      common.Address
	Attester       common.Address
	Revocable      bool
	Data           []byte
}

// AttestationRequest is an auto generated low-level Go binding around an user-defined struct.
type AttestationRequest struct {
	Schema [32]byte
	Data   AttestationRequestData
}

// AttestationRequestData is an auto generated low-level Go binding around an user-defined struct.
type AttestationRequestData struct {
	Recipient      common.Address
	ExpirationTime uint64
	Revocable      bool
	RefUID         [32]byte
	Data           []byte
	Value          *big.Int
}

// DelegatedAttestationRequest is an auto generated low-level Go binding around an user-defined struct.
type DelegatedAttestationRequest struct {
	Schema    [32]byte
	Data      AttestationRequestData
	Signature Signature
	Attester  common.Address
	Deadline  uint64
}

// DelegatedRevocationRequest is an auto generated low-level Go binding around an user-defined struct.
type DelegatedRevocationRequest struct {
	Schema    [32]byte
	Data      RevocationRequestData
	Signature Signature
	Revoker   common.Address
	Deadline  uint64
}

// MultiAttestationRequest is an auto generated low-level Go binding around an user-defined struct.
type MultiAttestationRequest struct {
	Schema [32]byte
	Data   []AttestationRequestData
}

// MultiDelegatedAttestationRequest is an auto generated low-level Go binding around an user-defined struct.
type MultiDelegatedAttestationRequest struct {
	Schema     [32]byte
	Data       []AttestationRequestData
	Signatures []Signature
	Attester   common.Address
	Deadline   uint64
}

// MultiDelegatedRevocationRequest is an auto generated low-level Go binding around an user-defined struct.
type MultiDelegatedRevocationRequest struct {
	Schema     [32]byte
	Data       []RevocationRequestData
	Signatures []Signature
	Revoker    common.Address
	Deadline   uint64
}

// MultiRevocationRequest is an auto generated low-level Go binding around an user-defined struct.
type MultiRevocationRequest struct {
	Schema [32]byte
	Data   []RevocationRequestData
}

// RevocationRequest is an auto generated low-level Go binding around an user-defined struct.
type RevocationRequest struct {
	Schema [32]byte
	Data   RevocationRequestData
}

// RevocationRequestData is an auto generated low-level Go binding around an user-defined struct.
type RevocationRequestData struct {
	Uid   [32]byte
	Value *big.Int
}

// Signature is an auto generated low-level Go binding around an user-defined struct.
type Signature struct {
	V uint8
	R [32]byte
	S [32]byte
}

// EASMetaData contains all meta data concerning the EAS contract.
var EASMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractISchemaRegistry\",\"name\":\"registry\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"AccessDenied\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"AlreadyRevoked\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"AlreadyRevokedOffchain\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"AlreadyTimestamped\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"DeadlineExpired\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"FailedCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InsufficientValue\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidAttestation\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidAttestations\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidExpirationTime\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidLength\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidNonce\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidOffset\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidRegistry\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidRevocation\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidRevocations\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSchema\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidShortString\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidVerifier\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"Irrevocable\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotFound\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NotPayable\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"str\",\"type\":\"string\"}],\"name\":\"StringTooLong\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"WrongSchema\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attester\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"schemaUID\",\"type\":\"bytes32\"}],\"name\":\"Attested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"EIP712DomainChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"oldNonce\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"newNonce\",\"type\":\"uint256\"}],\"name\":\"NonceIncreased\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attester\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"schemaUID\",\"type\":\"bytes32\"}],\"name\":\"Revoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"revoker\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"data\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"timestamp\",\"type\":\"uint64\"}],\"name\":\"RevokedOffchain\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"data\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"timestamp\",\"type\":\"uint64\"}],\"name\":\"Timestamped\",\"type\":\"event\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"schema\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"expirationTime\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"revocable\",\"type\":\"bool\"},{\"internalType\":\"bytes32\",\"name\":\"refUID\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"internalType\":\"structAttestationRequestData\",\"name\":\"data\",\"type\":\"tuple\"}],\"internalType\":\"structAttestationRequest\",\"name\":\"request\",\"type\":\"tuple\"}],\"name\":\"attest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"schema\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"expirationTime\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"revocable\",\"type\":\"bool\"},{\"internalType\":\"bytes32\",\"name\":\"refUID\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"internalType\":\"structAttestationRequestData\",\"name\":\"data\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint8\",\"name\":\"v\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"r\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"internalType\":\"structSignature\",\"name\":\"signature\",\"type\":\"tuple\"},{\"internalType\":\"address\",\"name\":\"attester\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"internalType\":\"structDelegatedAttestationRequest\",\"name\":\"delegatedRequest\",\"type\":\"tuple\"}],\"name\":\"attestByDelegation\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"eip712Domain\",\"outputs\":[{\"internalType\":\"bytes1\",\"name\":\"fields\",\"type\":\"bytes1\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"version\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"verifyingContract\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"uint256[]\",\"name\":\"extensions\",\"type\":\"uint256[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getAttestTypeHash\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"}],\"name\":\"getAttestation\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"schema\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"time\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"expirationTime\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"revocationTime\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"refUID\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"attester\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"revocable\",\"type\":\"bool\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"}],\"internalType\":\"structAttestation\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getDomainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getName\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"getNonce\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"revoker\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"data\",\"type\":\"bytes32\"}],\"name\":\"getRevokeOffchain\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getRevokeTypeHash\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getSchemaRegistry\",\"outputs\":[{\"internalType\":\"contractISchemaRegistry\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"data\",\"type\":\"bytes32\"}],\"name\":\"getTimestamp\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"newNonce\",\"type\":\"uint256\"}],\"name\":\"increaseNonce\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"}],\"name\":\"isAttestationValid\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"schema\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"expirationTime\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"revocable\",\"type\":\"bool\"},{\"internalType\":\"bytes32\",\"name\":\"refUID\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"internalType\":\"structAttestationRequestData[]\",\"name\":\"data\",\"type\":\"tuple[]\"}],\"internalType\":\"structMultiAttestationRequest[]\",\"name\":\"multiRequests\",\"type\":\"tuple[]\"}],\"name\":\"multiAttest\",\"outputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"\",\"type\":\"bytes32[]\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"schema\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"address\",\"name\":\"recipient\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"expirationTime\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"revocable\",\"type\":\"bool\"},{\"internalType\":\"bytes32\",\"name\":\"refUID\",\"type\":\"bytes32\"},{\"internalType\":\"bytes\",\"name\":\"data\",\"type\":\"bytes\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"internalType\":\"structAttestationRequestData[]\",\"name\":\"data\",\"type\":\"tuple[]\"},{\"components\":[{\"internalType\":\"uint8\",\"name\":\"v\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"r\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"internalType\":\"structSignature[]\",\"name\":\"signatures\",\"type\":\"tuple[]\"},{\"internalType\":\"address\",\"name\":\"attester\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"internalType\":\"structMultiDelegatedAttestationRequest[]\",\"name\":\"multiDelegatedRequests\",\"type\":\"tuple[]\"}],\"name\":\"multiAttestByDelegation\",\"outputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"\",\"type\":\"bytes32[]\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"schema\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"internalType\":\"structRevocationRequestData[]\",\"name\":\"data\",\"type\":\"tuple[]\"}],\"internalType\":\"structMultiRevocationRequest[]\",\"name\":\"multiRequests\",\"type\":\"tuple[]\"}],\"name\":\"multiRevoke\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"schema\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"internalType\":\"structRevocationRequestData[]\",\"name\":\"data\",\"type\":\"tuple[]\"},{\"components\":[{\"internalType\":\"uint8\",\"name\":\"v\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"r\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"internalType\":\"structSignature[]\",\"name\":\"signatures\",\"type\":\"tuple[]\"},{\"internalType\":\"address\",\"name\":\"revoker\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"internalType\":\"structMultiDelegatedRevocationRequest[]\",\"name\":\"multiDelegatedRequests\",\"type\":\"tuple[]\"}],\"name\":\"multiRevokeByDelegation\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"data\",\"type\":\"bytes32[]\"}],\"name\":\"multiRevokeOffchain\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"data\",\"type\":\"bytes32[]\"}],\"name\":\"multiTimestamp\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"schema\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"internalType\":\"structRevocationRequestData\",\"name\":\"data\",\"type\":\"tuple\"}],\"internalType\":\"structRevocationRequest\",\"name\":\"request\",\"type\":\"tuple\"}],\"name\":\"revoke\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"schema\",\"type\":\"bytes32\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"internalType\":\"structRevocationRequestData\",\"name\":\"data\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint8\",\"name\":\"v\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"r\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"internalType\":\"structSignature\",\"name\":\"signature\",\"type\":\"tuple\"},{\"internalType\":\"address\",\"name\":\"revoker\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"deadline\",\"type\":\"uint64\"}],\"internalType\":\"structDelegatedRevocationRequest\",\"name\":\"delegatedRequest\",\"type\":\"tuple\"}],\"name\":\"revokeByDelegation\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"data\",\"type\":\"bytes32\"}],\"name\":\"revokeOffchain\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"data\",\"type\":\"bytes32\"}],\"name\":\"timestamp\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"version\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "EAS",
}

// EAS is an auto generated Go binding around an Ethereum contract.
type EAS struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *EAS) GetABI() abi.ABI {
	return c.abi
}

// NewEAS creates a new instance of EAS.
func NewEAS() *EAS {
	parsed, err := EASMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &EAS{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *EAS) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address registry) returns()
func (eAS *EAS) PackConstructor(registry common.Address) []byte {
	enc, err := eAS.abi.Pack("", registry)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf17325e7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attest((bytes32,(address,uint64,bool,bytes32,bytes,uint256)) request) payable returns(bytes32)
func (eAS *EAS) PackAttest(request AttestationRequest) []byte {
	enc, err := eAS.abi.Pack("attest", request)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf17325e7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attest((bytes32,(address,uint64,bool,bytes32,bytes,uint256)) request) payable returns(bytes32)
func (eAS *EAS) TryPackAttest(request AttestationRequest) ([]byte, error) {
	return eAS.abi.Pack("attest", request)
}

// UnpackAttest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf17325e7.
//
// Solidity: function attest((bytes32,(address,uint64,bool,bytes32,bytes,uint256)) request) payable returns(bytes32)
func (eAS *EAS) UnpackAttest(data []byte) ([32]byte, error) {
	out, err := eAS.abi.Unpack("attest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAttestByDelegation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3c042715.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestByDelegation((bytes32,(address,uint64,bool,bytes32,bytes,uint256),(uint8,bytes32,bytes32),address,uint64) delegatedRequest) payable returns(bytes32)
func (eAS *EAS) PackAttestByDelegation(delegatedRequest DelegatedAttestationRequest) []byte {
	enc, err := eAS.abi.Pack("attestByDelegation", delegatedRequest)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestByDelegation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3c042715.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestByDelegation((bytes32,(address,uint64,bool,bytes32,bytes,uint256),(uint8,bytes32,bytes32),address,uint64) delegatedRequest) payable returns(bytes32)
func (eAS *EAS) TryPackAttestByDelegation(delegatedRequest DelegatedAttestationRequest) ([]byte, error) {
	return eAS.abi.Pack("attestByDelegation", delegatedRequest)
}

// UnpackAttestByDelegation is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3c042715.
//
// Solidity: function attestByDelegation((bytes32,(address,uint64,bool,bytes32,bytes,uint256),(uint8,bytes32,bytes32),address,uint64) delegatedRequest) payable returns(bytes32)
func (eAS *EAS) UnpackAttestByDelegation(data []byte) ([32]byte, error) {
	out, err := eAS.abi.Unpack("attestByDelegation", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackEip712Domain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b0196e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (eAS *EAS) PackEip712Domain() []byte {
	enc, err := eAS.abi.Pack("eip712Domain")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEip712Domain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b0196e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (eAS *EAS) TryPackEip712Domain() ([]byte, error) {
	return eAS.abi.Pack("eip712Domain")
}

// Eip712DomainOutput serves as a container for the return parameters of contract
// method Eip712Domain.
type Eip712DomainOutput struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}

// UnpackEip712Domain is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (eAS *EAS) UnpackEip712Domain(data []byte) (Eip712DomainOutput, error) {
	out, err := eAS.abi.Unpack("eip712Domain", data)
	outstruct := new(Eip712DomainOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Fields = *abi.ConvertType(out[0], new([1]byte)).(*[1]byte)
	outstruct.Name = *abi.ConvertType(out[1], new(string)).(*string)
	outstruct.Version = *abi.ConvertType(out[2], new(string)).(*string)
	outstruct.ChainId = abi.ConvertType(out[3], new(big.Int)).(*big.Int)
	outstruct.VerifyingContract = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.Salt = *abi.ConvertType(out[5], new([32]byte)).(*[32]byte)
	outstruct.Extensions = *abi.ConvertType(out[6], new([]*big.Int)).(*[]*big.Int)
	return *outstruct, nil
}

// PackGetAttestTypeHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x12b11a17.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getAttestTypeHash() pure returns(bytes32)
func (eAS *EAS) PackGetAttestTypeHash() []byte {
	enc, err := eAS.abi.Pack("getAttestTypeHash")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetAttestTypeHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x12b11a17.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getAttestTypeHash() pure returns(bytes32)
func (eAS *EAS) TryPackGetAttestTypeHash() ([]byte, error) {
	return eAS.abi.Pack("getAttestTypeHash")
}

// UnpackGetAttestTypeHash is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x12b11a17.
//
// Solidity: function getAttestTypeHash() pure returns(bytes32)
func (eAS *EAS) UnpackGetAttestTypeHash(data []byte) ([32]byte, error) {
	out, err := eAS.abi.Unpack("getAttestTypeHash", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackGetAttestation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa3112a64.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getAttestation(bytes32 uid) view returns((bytes32,bytes32,uint64,uint64,uint64,bytes32,address,address,bool,bytes))
func (eAS *EAS) PackGetAttestation(uid [32]byte) []byte {
	enc, err := eAS.abi.Pack("getAttestation", uid)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetAttestation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa3112a64.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getAttestation(bytes32 uid) view returns((bytes32,bytes32,uint64,uint64,uint64,bytes32,address,address,bool,bytes))
func (eAS *EAS) TryPackGetAttestation(uid [32]byte) ([]byte, error) {
	return eAS.abi.Pack("getAttestation", uid)
}

// UnpackGetAttestation is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa3112a64.
//
// Solidity: function getAttestation(bytes32 uid) view returns((bytes32,bytes32,uint64,uint64,uint64,bytes32,address,address,bool,bytes))
func (eAS *EAS) UnpackGetAttestation(data []byte) (Attestation, error) {
	out, err := eAS.abi.Unpack("getAttestation", data)
	if err != nil {
		return *new(Attestation), err
	}
	out0 := *abi.ConvertType(out[0], new(Attestation)).(*Attestation)
	return out0, nil
}

// PackGetDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xed24911d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getDomainSeparator() view returns(bytes32)
func (eAS *EAS) PackGetDomainSeparator() []byte {
	enc, err := eAS.abi.Pack("getDomainSeparator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xed24911d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getDomainSeparator() view returns(bytes32)
func (eAS *EAS) TryPackGetDomainSeparator() ([]byte, error) {
	return eAS.abi.Pack("getDomainSeparator")
}

// UnpackGetDomainSeparator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xed24911d.
//
// Solidity: function getDomainSeparator() view returns(bytes32)
func (eAS *EAS) UnpackGetDomainSeparator(data []byte) ([32]byte, error) {
	out, err := eAS.abi.Unpack("getDomainSeparator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackGetName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x17d7de7c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getName() view returns(string)
func (eAS *EAS) PackGetName() []byte {
	enc, err := eAS.abi.Pack("getName")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x17d7de7c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getName() view returns(string)
func (eAS *EAS) TryPackGetName() ([]byte, error) {
	return eAS.abi.Pack("getName")
}

// UnpackGetName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x17d7de7c.
//
// Solidity: function getName() view returns(string)
func (eAS *EAS) UnpackGetName(data []byte) (string, error) {
	out, err := eAS.abi.Unpack("getName", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackGetNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2d0335ab.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getNonce(address account) view returns(uint256)
func (eAS *EAS) PackGetNonce(account common.Address) []byte {
	enc, err := eAS.abi.Pack("getNonce", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2d0335ab.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getNonce(address account) view returns(uint256)
func (eAS *EAS) TryPackGetNonce(account common.Address) ([]byte, error) {
	return eAS.abi.Pack("getNonce", account)
}

// UnpackGetNonce is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2d0335ab.
//
// Solidity: function getNonce(address account) view returns(uint256)
func (eAS *EAS) UnpackGetNonce(data []byte) (*big.Int, error) {
	out, err := eAS.abi.Unpack("getNonce", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetRevokeOffchain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb469318d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRevokeOffchain(address revoker, bytes32 data) view returns(uint64)
func (eAS *EAS) PackGetRevokeOffchain(revoker common.Address, data [32]byte) []byte {
	enc, err := eAS.abi.Pack("getRevokeOffchain", revoker, data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRevokeOffchain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb469318d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRevokeOffchain(address revoker, bytes32 data) view returns(uint64)
func (eAS *EAS) TryPackGetRevokeOffchain(revoker common.Address, data [32]byte) ([]byte, error) {
	return eAS.abi.Pack("getRevokeOffchain", revoker, data)
}

// UnpackGetRevokeOffchain is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb469318d.
//
// Solidity: function getRevokeOffchain(address revoker, bytes32 data) view returns(uint64)
func (eAS *EAS) UnpackGetRevokeOffchain(data []byte) (uint64, error) {
	out, err := eAS.abi.Unpack("getRevokeOffchain", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackGetRevokeTypeHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb83010d3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRevokeTypeHash() pure returns(bytes32)
func (eAS *EAS) PackGetRevokeTypeHash() []byte {
	enc, err := eAS.abi.Pack("getRevokeTypeHash")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRevokeTypeHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb83010d3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRevokeTypeHash() pure returns(bytes32)
func (eAS *EAS) TryPackGetRevokeTypeHash() ([]byte, error) {
	return eAS.abi.Pack("getRevokeTypeHash")
}

// UnpackGetRevokeTypeHash is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb83010d3.
//
// Solidity: function getRevokeTypeHash() pure returns(bytes32)
func (eAS *EAS) UnpackGetRevokeTypeHash(data []byte) ([32]byte, error) {
	out, err := eAS.abi.Unpack("getRevokeTypeHash", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackGetSchemaRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf10b5cc8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getSchemaRegistry() view returns(address)
func (eAS *EAS) PackGetSchemaRegistry() []byte {
	enc, err := eAS.abi.Pack("getSchemaRegistry")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetSchemaRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf10b5cc8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getSchemaRegistry() view returns(address)
func (eAS *EAS) TryPackGetSchemaRegistry() ([]byte, error) {
	return eAS.abi.Pack("getSchemaRegistry")
}

// UnpackGetSchemaRegistry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf10b5cc8.
//
// Solidity: function getSchemaRegistry() view returns(address)
func (eAS *EAS) UnpackGetSchemaRegistry(data []byte) (common.Address, error) {
	out, err := eAS.abi.Unpack("getSchemaRegistry", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackGetTimestamp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd45c4435.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getTimestamp(bytes32 data) view returns(uint64)
func (eAS *EAS) PackGetTimestamp(data [32]byte) []byte {
	enc, err := eAS.abi.Pack("getTimestamp", data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetTimestamp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd45c4435.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getTimestamp(bytes32 data) view returns(uint64)
func (eAS *EAS) TryPackGetTimestamp(data [32]byte) ([]byte, error) {
	return eAS.abi.Pack("getTimestamp", data)
}

// UnpackGetTimestamp is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd45c4435.
//
// Solidity: function getTimestamp(bytes32 data) view returns(uint64)
func (eAS *EAS) UnpackGetTimestamp(data []byte) (uint64, error) {
	out, err := eAS.abi.Unpack("getTimestamp", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackIncreaseNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79f7573a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function increaseNonce(uint256 newNonce) returns()
func (eAS *EAS) PackIncreaseNonce(newNonce *big.Int) []byte {
	enc, err := eAS.abi.Pack("increaseNonce", newNonce)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIncreaseNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79f7573a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function increaseNonce(uint256 newNonce) returns()
func (eAS *EAS) TryPackIncreaseNonce(newNonce *big.Int) ([]byte, error) {
	return eAS.abi.Pack("increaseNonce", newNonce)
}

// PackIsAttestationValid is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe30bb563.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isAttestationValid(bytes32 uid) view returns(bool)
func (eAS *EAS) PackIsAttestationValid(uid [32]byte) []byte {
	enc, err := eAS.abi.Pack("isAttestationValid", uid)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsAttestationValid is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe30bb563.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isAttestationValid(bytes32 uid) view returns(bool)
func (eAS *EAS) TryPackIsAttestationValid(uid [32]byte) ([]byte, error) {
	return eAS.abi.Pack("isAttestationValid", uid)
}

// UnpackIsAttestationValid is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe30bb563.
//
// Solidity: function isAttestationValid(bytes32 uid) view returns(bool)
func (eAS *EAS) UnpackIsAttestationValid(data []byte) (bool, error) {
	out, err := eAS.abi.Unpack("isAttestationValid", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackMultiAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x44adc90e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function multiAttest((bytes32,(address,uint64,bool,bytes32,bytes,uint256)[])[] multiRequests) payable returns(bytes32[])
func (eAS *EAS) PackMultiAttest(multiRequests []MultiAttestationRequest) []byte {
	enc, err := eAS.abi.Pack("multiAttest", multiRequests)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMultiAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x44adc90e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function multiAttest((bytes32,(address,uint64,bool,bytes32,bytes,uint256)[])[] multiRequests) payable returns(bytes32[])
func (eAS *EAS) TryPackMultiAttest(multiRequests []MultiAttestationRequest) ([]byte, error) {
	return eAS.abi.Pack("multiAttest", multiRequests)
}

// UnpackMultiAttest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x44adc90e.
//
// Solidity: function multiAttest((bytes32,(address,uint64,bool,bytes32,bytes,uint256)[])[] multiRequests) payable returns(bytes32[])
func (eAS *EAS) UnpackMultiAttest(data []byte) ([][32]byte, error) {
	out, err := eAS.abi.Unpack("multiAttest", data)
	if err != nil {
		return *new([][32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([][32]byte)).(*[][32]byte)
	return out0, nil
}

// PackMultiAttestByDelegation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95411525.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function multiAttestByDelegation((bytes32,(address,uint64,bool,bytes32,bytes,uint256)[],(uint8,bytes32,bytes32)[],address,uint64)[] multiDelegatedRequests) payable returns(bytes32[])
func (eAS *EAS) PackMultiAttestByDelegation(multiDelegatedRequests []MultiDelegatedAttestationRequest) []byte {
	enc, err := eAS.abi.Pack("multiAttestByDelegation", multiDelegatedRequests)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMultiAttestByDelegation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95411525.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function multiAttestByDelegation((bytes32,(address,uint64,bool,bytes32,bytes,uint256)[],(uint8,bytes32,bytes32)[],address,uint64)[] multiDelegatedRequests) payable returns(bytes32[])
func (eAS *EAS) TryPackMultiAttestByDelegation(multiDelegatedRequests []MultiDelegatedAttestationRequest) ([]byte, error) {
	return eAS.abi.Pack("multiAttestByDelegation", multiDelegatedRequests)
}

// UnpackMultiAttestByDelegation is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95411525.
//
// Solidity: function multiAttestByDelegation((bytes32,(address,uint64,bool,bytes32,bytes,uint256)[],(uint8,bytes32,bytes32)[],address,uint64)[] multiDelegatedRequests) payable returns(bytes32[])
func (eAS *EAS) UnpackMultiAttestByDelegation(data []byte) ([][32]byte, error) {
	out, err := eAS.abi.Unpack("multiAttestByDelegation", data)
	if err != nil {
		return *new([][32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([][32]byte)).(*[][32]byte)
	return out0, nil
}

// PackMultiRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4cb7e9e5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function multiRevoke((bytes32,(bytes32,uint256)[])[] multiRequests) payable returns()
func (eAS *EAS) PackMultiRevoke(multiRequests []MultiRevocationRequest) []byte {
	enc, err := eAS.abi.Pack("multiRevoke", multiRequests)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMultiRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4cb7e9e5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function multiRevoke((bytes32,(bytes32,uint256)[])[] multiRequests) payable returns()
func (eAS *EAS) TryPackMultiRevoke(multiRequests []MultiRevocationRequest) ([]byte, error) {
	return eAS.abi.Pack("multiRevoke", multiRequests)
}

// PackMultiRevokeByDelegation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0eabf660.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function multiRevokeByDelegation((bytes32,(bytes32,uint256)[],(uint8,bytes32,bytes32)[],address,uint64)[] multiDelegatedRequests) payable returns()
func (eAS *EAS) PackMultiRevokeByDelegation(multiDelegatedRequests []MultiDelegatedRevocationRequest) []byte {
	enc, err := eAS.abi.Pack("multiRevokeByDelegation", multiDelegatedRequests)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMultiRevokeByDelegation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0eabf660.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function multiRevokeByDelegation((bytes32,(bytes32,uint256)[],(uint8,bytes32,bytes32)[],address,uint64)[] multiDelegatedRequests) payable returns()
func (eAS *EAS) TryPackMultiRevokeByDelegation(multiDelegatedRequests []MultiDelegatedRevocationRequest) ([]byte, error) {
	return eAS.abi.Pack("multiRevokeByDelegation", multiDelegatedRequests)
}

// PackMultiRevokeOffchain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x13893f61.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function multiRevokeOffchain(bytes32[] data) returns(uint64)
func (eAS *EAS) PackMultiRevokeOffchain(data [][32]byte) []byte {
	enc, err := eAS.abi.Pack("multiRevokeOffchain", data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMultiRevokeOffchain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x13893f61.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function multiRevokeOffchain(bytes32[] data) returns(uint64)
func (eAS *EAS) TryPackMultiRevokeOffchain(data [][32]byte) ([]byte, error) {
	return eAS.abi.Pack("multiRevokeOffchain", data)
}

// UnpackMultiRevokeOffchain is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x13893f61.
//
// Solidity: function multiRevokeOffchain(bytes32[] data) returns(uint64)
func (eAS *EAS) UnpackMultiRevokeOffchain(data []byte) (uint64, error) {
	out, err := eAS.abi.Unpack("multiRevokeOffchain", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackMultiTimestamp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe71ff365.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function multiTimestamp(bytes32[] data) returns(uint64)
func (eAS *EAS) PackMultiTimestamp(data [][32]byte) []byte {
	enc, err := eAS.abi.Pack("multiTimestamp", data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMultiTimestamp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe71ff365.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function multiTimestamp(bytes32[] data) returns(uint64)
func (eAS *EAS) TryPackMultiTimestamp(data [][32]byte) ([]byte, error) {
	return eAS.abi.Pack("multiTimestamp", data)
}

// UnpackMultiTimestamp is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe71ff365.
//
// Solidity: function multiTimestamp(bytes32[] data) returns(uint64)
func (eAS *EAS) UnpackMultiTimestamp(data []byte) (uint64, error) {
	out, err := eAS.abi.Unpack("multiTimestamp", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x46926267.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revoke((bytes32,(bytes32,uint256)) request) payable returns()
func (eAS *EAS) PackRevoke(request RevocationRequest) []byte {
	enc, err := eAS.abi.Pack("revoke", request)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x46926267.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revoke((bytes32,(bytes32,uint256)) request) payable returns()
func (eAS *EAS) TryPackRevoke(request RevocationRequest) ([]byte, error) {
	return eAS.abi.Pack("revoke", request)
}

// PackRevokeByDelegation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa6d4dbc7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeByDelegation((bytes32,(bytes32,uint256),(uint8,bytes32,bytes32),address,uint64) delegatedRequest) payable returns()
func (eAS *EAS) PackRevokeByDelegation(delegatedRequest DelegatedRevocationRequest) []byte {
	enc, err := eAS.abi.Pack("revokeByDelegation", delegatedRequest)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeByDelegation is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa6d4dbc7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeByDelegation((bytes32,(bytes32,uint256),(uint8,bytes32,bytes32),address,uint64) delegatedRequest) payable returns()
func (eAS *EAS) TryPackRevokeByDelegation(delegatedRequest DelegatedRevocationRequest) ([]byte, error) {
	return eAS.abi.Pack("revokeByDelegation", delegatedRequest)
}

// PackRevokeOffchain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcf190f34.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeOffchain(bytes32 data) returns(uint64)
func (eAS *EAS) PackRevokeOffchain(data [32]byte) []byte {
	enc, err := eAS.abi.Pack("revokeOffchain", data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeOffchain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcf190f34.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeOffchain(bytes32 data) returns(uint64)
func (eAS *EAS) TryPackRevokeOffchain(data [32]byte) ([]byte, error) {
	return eAS.abi.Pack("revokeOffchain", data)
}

// UnpackRevokeOffchain is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xcf190f34.
//
// Solidity: function revokeOffchain(bytes32 data) returns(uint64)
func (eAS *EAS) UnpackRevokeOffchain(data []byte) (uint64, error) {
	out, err := eAS.abi.Unpack("revokeOffchain", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackTimestamp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4d003070.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function timestamp(bytes32 data) returns(uint64)
func (eAS *EAS) PackTimestamp(data [32]byte) []byte {
	enc, err := eAS.abi.Pack("timestamp", data)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTimestamp is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4d003070.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function timestamp(bytes32 data) returns(uint64)
func (eAS *EAS) TryPackTimestamp(data [32]byte) ([]byte, error) {
	return eAS.abi.Pack("timestamp", data)
}

// UnpackTimestamp is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x4d003070.
//
// Solidity: function timestamp(bytes32 data) returns(uint64)
func (eAS *EAS) UnpackTimestamp(data []byte) (uint64, error) {
	out, err := eAS.abi.Unpack("timestamp", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x54fd4d50.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function version() view returns(string)
func (eAS *EAS) PackVersion() []byte {
	enc, err := eAS.abi.Pack("version")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x54fd4d50.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function version() view returns(string)
func (eAS *EAS) TryPackVersion() ([]byte, error) {
	return eAS.abi.Pack("version")
}

// UnpackVersion is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x54fd4d50.
//
// Solidity: function version() view returns(string)
func (eAS *EAS) UnpackVersion(data []byte) (string, error) {
	out, err := eAS.abi.Unpack("version", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// EASAttested represents a Attested event raised by the EAS contract.
type EASAttested struct {
	Recipient common.Address
	Attester  common.Address
	Uid       [32]byte
	SchemaUID [32]byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const EASAttestedEventName = "Attested"

// ContractEventName returns the user-defined event name.
func (EASAttested) ContractEventName() string {
	return EASAttestedEventName
}

// UnpackAttestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Attested(address indexed recipient, address indexed attester, bytes32 uid, bytes32 indexed schemaUID)
func (eAS *EAS) UnpackAttestedEvent(log *types.Log) (*EASAttested, error) {
	event := "Attested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eAS.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EASAttested)
	if len(log.Data) > 0 {
		if err := eAS.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eAS.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EASEIP712DomainChanged represents a EIP712DomainChanged event raised by the EAS contract.
type EASEIP712DomainChanged struct {
	Raw *types.Log // Blockchain specific contextual infos
}

const EASEIP712DomainChangedEventName = "EIP712DomainChanged"

// ContractEventName returns the user-defined event name.
func (EASEIP712DomainChanged) ContractEventName() string {
	return EASEIP712DomainChangedEventName
}

// UnpackEIP712DomainChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EIP712DomainChanged()
func (eAS *EAS) UnpackEIP712DomainChangedEvent(log *types.Log) (*EASEIP712DomainChanged, error) {
	event := "EIP712DomainChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eAS.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EASEIP712DomainChanged)
	if len(log.Data) > 0 {
		if err := eAS.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eAS.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EASNonceIncreased represents a NonceIncreased event raised by the EAS contract.
type EASNonceIncreased struct {
	OldNonce *big.Int
	NewNonce *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const EASNonceIncreasedEventName = "NonceIncreased"

// ContractEventName returns the user-defined event name.
func (EASNonceIncreased) ContractEventName() string {
	return EASNonceIncreasedEventName
}

// UnpackNonceIncreasedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event NonceIncreased(uint256 oldNonce, uint256 newNonce)
func (eAS *EAS) UnpackNonceIncreasedEvent(log *types.Log) (*EASNonceIncreased, error) {
	event := "NonceIncreased"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eAS.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EASNonceIncreased)
	if len(log.Data) > 0 {
		if err := eAS.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eAS.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EASRevoked represents a Revoked event raised by the EAS contract.
type EASRevoked struct {
	Recipient common.Address
	Attester  common.Address
	Uid       [32]byte
	SchemaUID [32]byte
	Raw       *types.Log // Blockchain specific contextual infos
}

const EASRevokedEventName = "Revoked"

// ContractEventName returns the user-defined event name.
func (EASRevoked) ContractEventName() string {
	return EASRevokedEventName
}

// UnpackRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Revoked(address indexed recipient, address indexed attester, bytes32 uid, bytes32 indexed schemaUID)
func (eAS *EAS) UnpackRevokedEvent(log *types.Log) (*EASRevoked, error) {
	event := "Revoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eAS.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EASRevoked)
	if len(log.Data) > 0 {
		if err := eAS.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eAS.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EASRevokedOffchain represents a RevokedOffchain event raised by the EAS contract.
type EASRevokedOffchain struct {
	Revoker   common.Address
	Data      [32]byte
	Timestamp uint64
	Raw       *types.Log // Blockchain specific contextual infos
}

const EASRevokedOffchainEventName = "RevokedOffchain"

// ContractEventName returns the user-defined event name.
func (EASRevokedOffchain) ContractEventName() string {
	return EASRevokedOffchainEventName
}

// UnpackRevokedOffchainEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RevokedOffchain(address indexed revoker, bytes32 indexed data, uint64 indexed timestamp)
func (eAS *EAS) UnpackRevokedOffchainEvent(log *types.Log) (*EASRevokedOffchain, error) {
	event := "RevokedOffchain"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eAS.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EASRevokedOffchain)
	if len(log.Data) > 0 {
		if err := eAS.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eAS.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EASTimestamped represents a Timestamped event raised by the EAS contract.
type EASTimestamped struct {
	Data      [32]byte
	Timestamp uint64
	Raw       *types.Log // Blockchain specific contextual infos
}

const EASTimestampedEventName = "Timestamped"

// ContractEventName returns the user-defined event name.
func (EASTimestamped) ContractEventName() string {
	return EASTimestampedEventName
}

// UnpackTimestampedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Timestamped(bytes32 indexed data, uint64 indexed timestamp)
func (eAS *EAS) UnpackTimestampedEvent(log *types.Log) (*EASTimestamped, error) {
	event := "Timestamped"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eAS.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EASTimestamped)
	if len(log.Data) > 0 {
		if err := eAS.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eAS.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (eAS *EAS) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], eAS.abi.Errors["AccessDenied"].ID.Bytes()[:4]) {
		return eAS.UnpackAccessDeniedError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["AlreadyRevoked"].ID.Bytes()[:4]) {
		return eAS.UnpackAlreadyRevokedError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["AlreadyRevokedOffchain"].ID.Bytes()[:4]) {
		return eAS.UnpackAlreadyRevokedOffchainError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["AlreadyTimestamped"].ID.Bytes()[:4]) {
		return eAS.UnpackAlreadyTimestampedError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["DeadlineExpired"].ID.Bytes()[:4]) {
		return eAS.UnpackDeadlineExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["FailedCall"].ID.Bytes()[:4]) {
		return eAS.UnpackFailedCallError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InsufficientBalance"].ID.Bytes()[:4]) {
		return eAS.UnpackInsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InsufficientValue"].ID.Bytes()[:4]) {
		return eAS.UnpackInsufficientValueError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidAttestation"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidAttestationError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidAttestations"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidAttestationsError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidExpirationTime"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidExpirationTimeError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidLength"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidNonce"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidNonceError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidOffset"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidOffsetError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidRegistry"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidRegistryError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidRevocation"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidRevocationError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidRevocations"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidRevocationsError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidSchema"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidSchemaError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidShortString"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidShortStringError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["InvalidVerifier"].ID.Bytes()[:4]) {
		return eAS.UnpackInvalidVerifierError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["Irrevocable"].ID.Bytes()[:4]) {
		return eAS.UnpackIrrevocableError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["NotFound"].ID.Bytes()[:4]) {
		return eAS.UnpackNotFoundError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["NotPayable"].ID.Bytes()[:4]) {
		return eAS.UnpackNotPayableError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["StringTooLong"].ID.Bytes()[:4]) {
		return eAS.UnpackStringTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], eAS.abi.Errors["WrongSchema"].ID.Bytes()[:4]) {
		return eAS.UnpackWrongSchemaError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// EASAccessDenied represents a AccessDenied error raised by the EAS contract.
type EASAccessDenied struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessDenied()
func EASAccessDeniedErrorID() common.Hash {
	return common.HexToHash("0x4ca888678577e39e3ac9ac6cfe78050ee33f0c0eec2c686bc222b2cf4140a62c")
}

// UnpackAccessDeniedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessDenied()
func (eAS *EAS) UnpackAccessDeniedError(raw []byte) (*EASAccessDenied, error) {
	out := new(EASAccessDenied)
	if err := eAS.abi.UnpackIntoInterface(out, "AccessDenied", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASAlreadyRevoked represents a AlreadyRevoked error raised by the EAS contract.
type EASAlreadyRevoked struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRevoked()
func EASAlreadyRevokedErrorID() common.Hash {
	return common.HexToHash("0x905e7107fcd8d38a05fc738cf157cef8469b5887dfac8cf427fff87e259ed1b1")
}

// UnpackAlreadyRevokedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRevoked()
func (eAS *EAS) UnpackAlreadyRevokedError(raw []byte) (*EASAlreadyRevoked, error) {
	out := new(EASAlreadyRevoked)
	if err := eAS.abi.UnpackIntoInterface(out, "AlreadyRevoked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASAlreadyRevokedOffchain represents a AlreadyRevokedOffchain error raised by the EAS contract.
type EASAlreadyRevokedOffchain struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRevokedOffchain()
func EASAlreadyRevokedOffchainErrorID() common.Hash {
	return common.HexToHash("0xec9d6eeb3d5e050c985e953f5334916f2d99e36a0cd3a60a70750bafa2e24b62")
}

// UnpackAlreadyRevokedOffchainError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRevokedOffchain()
func (eAS *EAS) UnpackAlreadyRevokedOffchainError(raw []byte) (*EASAlreadyRevokedOffchain, error) {
	out := new(EASAlreadyRevokedOffchain)
	if err := eAS.abi.UnpackIntoInterface(out, "AlreadyRevokedOffchain", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASAlreadyTimestamped represents a AlreadyTimestamped error raised by the EAS contract.
type EASAlreadyTimestamped struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyTimestamped()
func EASAlreadyTimestampedErrorID() common.Hash {
	return common.HexToHash("0x2e2679469f11c75d443517c3e37747c61391b96a2ce2a43415643f2af8846a97")
}

// UnpackAlreadyTimestampedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyTimestamped()
func (eAS *EAS) UnpackAlreadyTimestampedError(raw []byte) (*EASAlreadyTimestamped, error) {
	out := new(EASAlreadyTimestamped)
	if err := eAS.abi.UnpackIntoInterface(out, "AlreadyTimestamped", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASDeadlineExpired represents a DeadlineExpired error raised by the EAS contract.
type EASDeadlineExpired struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DeadlineExpired()
func EASDeadlineExpiredErrorID() common.Hash {
	return common.HexToHash("0x1ab7da6b04cf80fcc6534c1f63ce7b24fd7488ab40444b4e5271ccc1c7f64567")
}

// UnpackDeadlineExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DeadlineExpired()
func (eAS *EAS) UnpackDeadlineExpiredError(raw []byte) (*EASDeadlineExpired, error) {
	out := new(EASDeadlineExpired)
	if err := eAS.abi.UnpackIntoInterface(out, "DeadlineExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASFailedCall represents a FailedCall error raised by the EAS contract.
type EASFailedCall struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error FailedCall()
func EASFailedCallErrorID() common.Hash {
	return common.HexToHash("0xd6bda27508c0fb6d8a39b4b122878dab26f731a7d4e4abe711dd3731899052a4")
}

// UnpackFailedCallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error FailedCall()
func (eAS *EAS) UnpackFailedCallError(raw []byte) (*EASFailedCall, error) {
	out := new(EASFailedCall)
	if err := eAS.abi.UnpackIntoInterface(out, "FailedCall", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInsufficientBalance represents a InsufficientBalance error raised by the EAS contract.
type EASInsufficientBalance struct {
	Balance *big.Int
	Needed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientBalance(uint256 balance, uint256 needed)
func EASInsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xcf4791818fba6e019216eb4864093b4947f674afada5d305e57d598b641dad1d")
}

// UnpackInsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientBalance(uint256 balance, uint256 needed)
func (eAS *EAS) UnpackInsufficientBalanceError(raw []byte) (*EASInsufficientBalance, error) {
	out := new(EASInsufficientBalance)
	if err := eAS.abi.UnpackIntoInterface(out, "InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInsufficientValue represents a InsufficientValue error raised by the EAS contract.
type EASInsufficientValue struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientValue()
func EASInsufficientValueErrorID() common.Hash {
	return common.HexToHash("0x11011294e523eeec4433580885161d3042233fd44e22bd84d0e716dddf44fc41")
}

// UnpackInsufficientValueError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientValue()
func (eAS *EAS) UnpackInsufficientValueError(raw []byte) (*EASInsufficientValue, error) {
	out := new(EASInsufficientValue)
	if err := eAS.abi.UnpackIntoInterface(out, "InsufficientValue", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidAttestation represents a InvalidAttestation error raised by the EAS contract.
type EASInvalidAttestation struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidAttestation()
func EASInvalidAttestationErrorID() common.Hash {
	return common.HexToHash("0xbd8ba84d4af301e1b110d1f93f8971934a3ba3afdf4200e7f884f76f2dd27077")
}

// UnpackInvalidAttestationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidAttestation()
func (eAS *EAS) UnpackInvalidAttestationError(raw []byte) (*EASInvalidAttestation, error) {
	out := new(EASInvalidAttestation)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidAttestation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidAttestations represents a InvalidAttestations error raised by the EAS contract.
type EASInvalidAttestations struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidAttestations()
func EASInvalidAttestationsErrorID() common.Hash {
	return common.HexToHash("0xe8bee83907b9c2b7f9ed250b7d70f31d2fb33cda803f6527aa127d9ef456d41b")
}

// UnpackInvalidAttestationsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidAttestations()
func (eAS *EAS) UnpackInvalidAttestationsError(raw []byte) (*EASInvalidAttestations, error) {
	out := new(EASInvalidAttestations)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidAttestations", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidExpirationTime represents a InvalidExpirationTime error raised by the EAS contract.
type EASInvalidExpirationTime struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidExpirationTime()
func EASInvalidExpirationTimeErrorID() common.Hash {
	return common.HexToHash("0x08e8b93746ad86277d5e210695813c42275860d28d3862b3447c15394a54ec9f")
}

// UnpackInvalidExpirationTimeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidExpirationTime()
func (eAS *EAS) UnpackInvalidExpirationTimeError(raw []byte) (*EASInvalidExpirationTime, error) {
	out := new(EASInvalidExpirationTime)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidExpirationTime", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidLength represents a InvalidLength error raised by the EAS contract.
type EASInvalidLength struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidLength()
func EASInvalidLengthErrorID() common.Hash {
	return common.HexToHash("0x947d5a8466b7bcfb56468ee05345bfacfb6c28f016a57c192dadee0d8affb197")
}

// UnpackInvalidLengthError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidLength()
func (eAS *EAS) UnpackInvalidLengthError(raw []byte) (*EASInvalidLength, error) {
	out := new(EASInvalidLength)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidLength", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidNonce represents a InvalidNonce error raised by the EAS contract.
type EASInvalidNonce struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidNonce()
func EASInvalidNonceErrorID() common.Hash {
	return common.HexToHash("0x756688fec2871909d72599c334b663ffcc94654c438569966c7fd3ab3a351f34")
}

// UnpackInvalidNonceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidNonce()
func (eAS *EAS) UnpackInvalidNonceError(raw []byte) (*EASInvalidNonce, error) {
	out := new(EASInvalidNonce)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidNonce", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidOffset represents a InvalidOffset error raised by the EAS contract.
type EASInvalidOffset struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidOffset()
func EASInvalidOffsetErrorID() common.Hash {
	return common.HexToHash("0x01da1572466ade17b5659e13c05951ba7b575203021b7c5dabe44a40736dde73")
}

// UnpackInvalidOffsetError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidOffset()
func (eAS *EAS) UnpackInvalidOffsetError(raw []byte) (*EASInvalidOffset, error) {
	out := new(EASInvalidOffset)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidOffset", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidRegistry represents a InvalidRegistry error raised by the EAS contract.
type EASInvalidRegistry struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidRegistry()
func EASInvalidRegistryErrorID() common.Hash {
	return common.HexToHash("0x11a1e697a1c85975448db6646a7687242f7872b0e576fef10a19373ad31e3e4d")
}

// UnpackInvalidRegistryError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidRegistry()
func (eAS *EAS) UnpackInvalidRegistryError(raw []byte) (*EASInvalidRegistry, error) {
	out := new(EASInvalidRegistry)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidRegistry", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidRevocation represents a InvalidRevocation error raised by the EAS contract.
type EASInvalidRevocation struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidRevocation()
func EASInvalidRevocationErrorID() common.Hash {
	return common.HexToHash("0xccf3bb27a0790e6b91fa4fc94ced6b896c49c2c3979a52ec099ce55c8b02105d")
}

// UnpackInvalidRevocationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidRevocation()
func (eAS *EAS) UnpackInvalidRevocationError(raw []byte) (*EASInvalidRevocation, error) {
	out := new(EASInvalidRevocation)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidRevocation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidRevocations represents a InvalidRevocations error raised by the EAS contract.
type EASInvalidRevocations struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidRevocations()
func EASInvalidRevocationsErrorID() common.Hash {
	return common.HexToHash("0xbf2f3a8bb7fca020463bbcdd64f64c530bc7aa70c0721fdad31648281fd08aca")
}

// UnpackInvalidRevocationsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidRevocations()
func (eAS *EAS) UnpackInvalidRevocationsError(raw []byte) (*EASInvalidRevocations, error) {
	out := new(EASInvalidRevocations)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidRevocations", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidSchema represents a InvalidSchema error raised by the EAS contract.
type EASInvalidSchema struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSchema()
func EASInvalidSchemaErrorID() common.Hash {
	return common.HexToHash("0xbf37b20ed599b30c686637ddd1a7bcf775ca8ece7349819c451c28d67fbca7cd")
}

// UnpackInvalidSchemaError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSchema()
func (eAS *EAS) UnpackInvalidSchemaError(raw []byte) (*EASInvalidSchema, error) {
	out := new(EASInvalidSchema)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidSchema", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidShortString represents a InvalidShortString error raised by the EAS contract.
type EASInvalidShortString struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidShortString()
func EASInvalidShortStringErrorID() common.Hash {
	return common.HexToHash("0xb3512b0c6163e5f0bafab72bb631b9d58cd7a731b082f910338aa21c83d5c274")
}

// UnpackInvalidShortStringError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidShortString()
func (eAS *EAS) UnpackInvalidShortStringError(raw []byte) (*EASInvalidShortString, error) {
	out := new(EASInvalidShortString)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidShortString", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidSignature represents a InvalidSignature error raised by the EAS contract.
type EASInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature()
func EASInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x8baa579fce362245063d36f11747a89dd489c54795634fc673cc0e0db51fedc5")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature()
func (eAS *EAS) UnpackInvalidSignatureError(raw []byte) (*EASInvalidSignature, error) {
	out := new(EASInvalidSignature)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASInvalidVerifier represents a InvalidVerifier error raised by the EAS contract.
type EASInvalidVerifier struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidVerifier()
func EASInvalidVerifierErrorID() common.Hash {
	return common.HexToHash("0xbaa3de5f56f60054d9dadb06f546c3a183e9e84225d1555190a57fea1ec801c4")
}

// UnpackInvalidVerifierError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidVerifier()
func (eAS *EAS) UnpackInvalidVerifierError(raw []byte) (*EASInvalidVerifier, error) {
	out := new(EASInvalidVerifier)
	if err := eAS.abi.UnpackIntoInterface(out, "InvalidVerifier", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASIrrevocable represents a Irrevocable error raised by the EAS contract.
type EASIrrevocable struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error Irrevocable()
func EASIrrevocableErrorID() common.Hash {
	return common.HexToHash("0x157bd4c366e4fb2446df6182ceb50da36234dc95bea79ec6340aa7120560f976")
}

// UnpackIrrevocableError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error Irrevocable()
func (eAS *EAS) UnpackIrrevocableError(raw []byte) (*EASIrrevocable, error) {
	out := new(EASIrrevocable)
	if err := eAS.abi.UnpackIntoInterface(out, "Irrevocable", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASNotFound represents a NotFound error raised by the EAS contract.
type EASNotFound struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotFound()
func EASNotFoundErrorID() common.Hash {
	return common.HexToHash("0xc5723b514fb03e26b5be1daff92c203a4e7d1eb7e98627cd6c62c4612432cbc7")
}

// UnpackNotFoundError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotFound()
func (eAS *EAS) UnpackNotFoundError(raw []byte) (*EASNotFound, error) {
	out := new(EASNotFound)
	if err := eAS.abi.UnpackIntoInterface(out, "NotFound", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASNotPayable represents a NotPayable error raised by the EAS contract.
type EASNotPayable struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotPayable()
func EASNotPayableErrorID() common.Hash {
	return common.HexToHash("0x1574f9f3d00691584a68924b52dac97492321820d9f27057bb8aa2c70544398e")
}

// UnpackNotPayableError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotPayable()
func (eAS *EAS) UnpackNotPayableError(raw []byte) (*EASNotPayable, error) {
	out := new(EASNotPayable)
	if err := eAS.abi.UnpackIntoInterface(out, "NotPayable", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASStringTooLong represents a StringTooLong error raised by the EAS contract.
type EASStringTooLong struct {
	Str string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StringTooLong(string str)
func EASStringTooLongErrorID() common.Hash {
	return common.HexToHash("0x305a27a93f8e33b7392df0a0f91d6fc63847395853c45991eec52dbf24d72381")
}

// UnpackStringTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StringTooLong(string str)
func (eAS *EAS) UnpackStringTooLongError(raw []byte) (*EASStringTooLong, error) {
	out := new(EASStringTooLong)
	if err := eAS.abi.UnpackIntoInterface(out, "StringTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EASWrongSchema represents a WrongSchema error raised by the EAS contract.
type EASWrongSchema struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongSchema()
func EASWrongSchemaErrorID() common.Hash {
	return common.HexToHash("0x21b8eeb9678b5408dc3d315e78488e8fc37e5964403d45f10f915d15d52a6256")
}

// UnpackWrongSchemaError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongSchema()
func (eAS *EAS) UnpackWrongSchemaError(raw []byte) (*EASWrongSchema, error) {
	out := new(EASWrongSchema)
	if err := eAS.abi.UnpackIntoInterface(out, "WrongSchema", raw); err != nil {
		return nil, err
	}
	return out, nil
}
