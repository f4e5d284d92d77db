// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package eventemitter

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

// EventEmitterMetaData contains all meta data concerning the EventEmitter contract.
var EventEmitterMetaData = bind.MetaData{
	ABI: "[{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"seq\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"}],\"name\":\"Ping\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"n\",\"type\":\"uint256\"}],\"name\":\"emitMany\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"n\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"tag\",\"type\":\"bytes32\"}],\"name\":\"emitTagged\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nextSeq\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "EventEmitter",
	Bin: "0x6080604052348015600e575f5ffd5b506101b58061001c5f395ff3fe608060405234801561000f575f5ffd5b506004361061003f575f3560e01c80633a1e976c146100435780639b64250914610058578063fb6320d01461006b575b5f5ffd5b61005661005136600461012d565b610085565b005b61005661006636600461014d565b610093565b6100735f5481565b60405190815260200160405180910390f35b61008f82826100a0565b5050565b61009d815f6100a0565b50565b5f8054905b8381101561011b57336100b88284610178565b7fe44d1763da78dc8eb811ddd6c689feb0c0540e5139925ca5f72db1f51a46d95a6100e38486610178565b6100f190633b9aca00610191565b6100fc906007610178565b60408051918252602082018890520160405180910390a36001016100a5565b506101268382610178565b5f55505050565b5f5f6040838503121561013e575f5ffd5b50508035926020909101359150565b5f6020828403121561015d575f5ffd5b5035919050565b634e487b7160e01b5f52601160045260245ffd5b8082018082111561018b5761018b610164565b92915050565b808202811582820484141761018b5761018b61016456fea164736f6c6343000825000a",
}

// EventEmitter is an auto generated Go binding around an Ethereum contract.
type EventEmitter struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *EventEmitter) GetABI() abi.ABI {
	return c.abi
}

// NewEventEmitter creates a new instance of EventEmitter.
func NewEventEmitter() *EventEmitter {
	parsed, err := EventEmitterMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &EventEmitter{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *EventEmitter) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackEmitMany is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9b642509.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function emitMany(uint256 n) returns()
func (eventEmitter *EventEmitter) PackEmitMany(n *big.Int) []byte {
	enc, err := eventEmitter.abi.Pack("emitMany", n)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEmitMany is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9b642509.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function emitMany(uint256 n) returns()
func (eventEmitter *EventEmitter) TryPackEmitMany(n *big.Int) ([]byte, error) {
	return eventEmitter.abi.Pack("emitMany", n)
}

// PackEmitTagged is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3a1e976c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function emitTagged(uint256 n, bytes32 tag) returns()
func (eventEmitter *EventEmitter) PackEmitTagged(n *big.Int, tag [32]byte) []byte {
	enc, err := eventEmitter.abi.Pack("emitTagged", n, tag)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEmitTagged is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3a1e976c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function emitTagged(uint256 n, bytes32 tag) returns()
func (eventEmitter *EventEmitter) TryPackEmitTagged(n *big.Int, tag [32]byte) ([]byte, error) {
	return eventEmitter.abi.Pack("emitTagged", n, tag)
}

// PackNextSeq is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb6320d0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nextSeq() view returns(uint256)
func (eventEmitter *EventEmitter) PackNextSeq() []byte {
	enc, err := eventEmitter.abi.Pack("nextSeq")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNextSeq is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb6320d0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nextSeq() view returns(uint256)
func (eventEmitter *EventEmitter) TryPackNextSeq() ([]byte, error) {
	return eventEmitter.abi.Pack("nextSeq")
}

// UnpackNextSeq is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfb6320d0.
//
// Solidity: function nextSeq() view returns(uint256)
func (eventEmitter *EventEmitter) UnpackNextSeq(data []byte) (*big.Int, error) {
	out, err := eventEmitter.abi.Unpack("nextSeq", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// EventEmitterPing represents a Ping event raised by the EventEmitter contract.
type EventEmitterPing struct {
	Seq   *big.Int
	From  common.Address
	Value *big.Int
	Tag   [32]byte
	Raw   *types.Log // Blockchain specific contextual infos
}

const EventEmitterPingEventName = "Ping"

// ContractEventName returns the user-defined event name.
func (EventEmitterPing) ContractEventName() string {
	return EventEmitterPingEventName
}

// UnpackPingEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Ping(uint256 indexed seq, address indexed from, uint256 value, bytes32 tag)
func (eventEmitter *EventEmitter) UnpackPingEvent(log *types.Log) (*EventEmitterPing, error) {
	event := "Ping"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != eventEmitter.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EventEmitterPing)
	if len(log.Data) > 0 {
		if err := eventEmitter.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range eventEmitter.abi.Events[event].Inputs {
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
