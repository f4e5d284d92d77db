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

// SchemaRecord is an auto generated low-level Go binding around an user-defined struct.
type SchemaRecord struct {
	Uid       [32]byte
	Resolver  common.Address
	Revocable bool
	Schema    string
}

// SchemaRegistryMetaData contains all meta data concerning the SchemaRegistry contract.
var SchemaRegistryMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"AlreadyExists\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"registerer\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"internalType\":\"contractISchemaResolver\",\"name\":\"resolver\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"revocable\",\"type\":\"bool\"},{\"internalType\":\"string\",\"name\":\"schema\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structSchemaRecord\",\"name\":\"schema\",\"type\":\"tuple\"}],\"name\":\"Registered\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"}],\"name\":\"getSchema\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"uid\",\"type\":\"bytes32\"},{\"internalType\":\"contractISchemaResolver\",\"name\":\"resolver\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"revocable\",\"type\":\"bool\"},{\"internalType\":\"string\",\"name\":\"schema\",\"type\":\"string\"}],\"internalType\":\"structSchemaRecord\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"schema\",\"type\":\"string\"},{\"internalType\":\"contractISchemaResolver\",\"name\":\"resolver\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"revocable\",\"type\":\"bool\"}],\"name\":\"register\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"version\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "SchemaRegistry",
}

// SchemaRegistry is an auto generated Go binding around an Ethereum contract.
type SchemaRegistry struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *SchemaRegistry) GetABI() abi.ABI {
	return c.abi
}

// NewSchemaRegistry creates a new instance of SchemaRegistry.
func NewSchemaRegistry() *SchemaRegistry {
	parsed, err := SchemaRegistryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &SchemaRegistry{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *SchemaRegistry) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackGetSchema is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa2ea7c6e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getSchema(bytes32 uid) view returns((bytes32,address,bool,string))
func (schemaRegistry *SchemaRegistry) PackGetSchema(uid [32]byte) []byte {
	enc, err := schemaRegistry.abi.Pack("getSchema", uid)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetSchema is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa2ea7c6e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getSchema(bytes32 uid) view returns((bytes32,address,bool,string))
func (schemaRegistry *SchemaRegistry) TryPackGetSchema(uid [32]byte) ([]byte, error) {
	return schemaRegistry.abi.Pack("getSchema", uid)
}

// UnpackGetSchema is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa2ea7c6e.
//
// Solidity: function getSchema(bytes32 uid) view returns((bytes32,address,bool,string))
func (schemaRegistry *SchemaRegistry) UnpackGetSchema(data []byte) (SchemaRecord, error) {
	out, err := schemaRegistry.abi.Unpack("getSchema", data)
	if err != nil {
		return *new(SchemaRecord), err
	}
	out0 := *abi.ConvertType(out[0], new(SchemaRecord)).(*SchemaRecord)
	return out0, nil
}

// PackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x60d7a278.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function register(string schema, address resolver, bool revocable) returns(bytes32)
func (schemaRegistry *SchemaRegistry) PackRegister(schema string, resolver common.Address, revocable bool) []byte {
	enc, err := schemaRegistry.abi.Pack("register", schema, resolver, revocable)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x60d7a278.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function register(string schema, address resolver, bool revocable) returns(bytes32)
func (schemaRegistry *SchemaRegistry) TryPackRegister(schema string, resolver common.Address, revocable bool) ([]byte, error) {
	return schemaRegistry.abi.Pack("register", schema, resolver, revocable)
}

// UnpackRegister is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x60d7a278.
//
// Solidity: function register(string schema, address resolver, bool revocable) returns(bytes32)
func (schemaRegistry *SchemaRegistry) UnpackRegister(data []byte) ([32]byte, error) {
	out, err := schemaRegistry.abi.Unpack("register", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x54fd4d50.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function version() view returns(string)
func (schemaRegistry *SchemaRegistry) PackVersion() []byte {
	enc, err := schemaRegistry.abi.Pack("version")
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
func (schemaRegistry *SchemaRegistry) TryPackVersion() ([]byte, error) {
	return schemaRegistry.abi.Pack("version")
}

// UnpackVersion is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x54fd4d50.
//
// Solidity: function version() view returns(string)
func (schemaRegistry *SchemaRegistry) UnpackVersion(data []byte) (string, error) {
	out, err := schemaRegistry.abi.Unpack("version", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// SchemaRegistryRegistered represents a Registered event raised by the SchemaRegistry contract.
type SchemaRegistryRegistered struct {
	Uid        [32]byte
	Registerer common.Address
	Schema     SchemaRecord
	Raw        *types.Log // Blockchain specific contextual infos
}

const SchemaRegistryRegisteredEventName = "Registered"

// ContractEventName returns the user-defined event name.
func (SchemaRegistryRegistered) ContractEventName() string {
	return SchemaRegistryRegisteredEventName
}

// UnpackRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Registered(bytes32 indexed uid, address indexed registerer, (bytes32,address,bool,string) schema)
func (schemaRegistry *SchemaRegistry) UnpackRegisteredEvent(log *types.Log) (*SchemaRegistryRegistered, error) {
	event := "Registered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != schemaRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SchemaRegistryRegistered)
	if len(log.Data) > 0 {
		if err := schemaRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range schemaRegistry.abi.Events[event].Inputs {
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
func (schemaRegistry *SchemaRegistry) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], schemaRegistry.abi.Errors["AlreadyExists"].ID.Bytes()[:4]) {
		return schemaRegistry.UnpackAlreadyExistsError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// SchemaRegistryAlreadyExists represents a AlreadyExists error raised by the SchemaRegistry contract.
type SchemaRegistryAlreadyExists struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyExists()
func SchemaRegistryAlreadyExistsErrorID() common.Hash {
	return common.HexToHash("0x23369fa654e4c51f5ac42da5f65f4077dc950e8257953b46f345ffc8debb45ac")
}

// UnpackAlreadyExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyExists()
func (schemaRegistry *SchemaRegistry) UnpackAlreadyExistsError(raw []byte) (*SchemaRegistryAlreadyExists, error) {
	out := new(SchemaRegistryAlreadyExists)
	if err := schemaRegistry.abi.UnpackIntoInterface(out, "AlreadyExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}
