// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package datasetregistry

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

// DatasetRegistryRecord is an auto generated low-level Go binding around an user-defined struct.
type DatasetRegistryRecord struct {
	MerkleRoot    [32]byte
	StatementHash [32]byte
	RowCount      uint64
	AttestedBlock uint64
	AttestedAt    uint64
	Revoked       bool
}

// DatasetRegistryStatement is an auto generated low-level Go binding around an user-defined struct.
type DatasetRegistryStatement struct {
	Dataset      string
	Version      uint64
	MerkleRoot   [32]byte
	RowCount     uint64
	ManifestHash [32]byte
	ReportHash   [32]byte
	ParentRoot   [32]byte
}

// DatasetRegistryMetaData contains all meta data concerning the DatasetRegistry contract.
var DatasetRegistryMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address[]\",\"name\":\"initialStewards\",\"type\":\"address[]\"},{\"internalType\":\"uint256\",\"name\":\"initialThreshold\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"attestedRoot\",\"type\":\"bytes32\"}],\"name\":\"AlreadyAttested\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"}],\"name\":\"AlreadyRevoked\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"DuplicateSigner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"given\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"required\",\"type\":\"uint256\"}],\"name\":\"InsufficientSignatures\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidShortString\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"index\",\"type\":\"uint256\"}],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"steward\",\"type\":\"address\"}],\"name\":\"InvalidSteward\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"threshold\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"stewardCount\",\"type\":\"uint256\"}],\"name\":\"InvalidThreshold\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidVersion\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"}],\"name\":\"NotAttested\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"NotSteward\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"str\",\"type\":\"string\"}],\"name\":\"StringTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"count\",\"type\":\"uint256\"}],\"name\":\"TooManyStewards\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"datasetKey\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"rowCount\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"reportHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"parentRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"address[]\",\"name\":\"signers\",\"type\":\"address[]\"}],\"name\":\"Attested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"EIP712DomainChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"datasetKey\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"address[]\",\"name\":\"signers\",\"type\":\"address[]\"}],\"name\":\"Revoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address[]\",\"name\":\"stewards\",\"type\":\"address[]\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"threshold\",\"type\":\"uint256\"}],\"name\":\"StewardsUpdated\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_STEWARDS\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"REVOCATION_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"STATEMENT_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"STEWARD_UPDATE_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"rowCount\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"reportHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"parentRoot\",\"type\":\"bytes32\"}],\"internalType\":\"structDatasetRegistry.Statement\",\"name\":\"statement\",\"type\":\"tuple\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"}],\"name\":\"attest\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"eip712Domain\",\"outputs\":[{\"internalType\":\"bytes1\",\"name\":\"fields\",\"type\":\"bytes1\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"version\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"verifyingContract\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"uint256[]\",\"name\":\"extensions\",\"type\":\"uint256[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes\",\"name\":\"row\",\"type\":\"bytes\"}],\"name\":\"hashLeaf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"}],\"name\":\"isAttested\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"}],\"name\":\"isRevoked\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"rowCount\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"reportHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"parentRoot\",\"type\":\"bytes32\"}],\"internalType\":\"structDatasetRegistry.Statement\",\"name\":\"statement\",\"type\":\"tuple\"}],\"name\":\"isStatementAttested\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"isSteward\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"}],\"name\":\"latestVersion\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"nonce\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"revocationNonce\",\"type\":\"uint256\"}],\"name\":\"revocationDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"string\",\"name\":\"reason\",\"type\":\"string\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"}],\"name\":\"revoke\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"rowCount\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"reportHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"parentRoot\",\"type\":\"bytes32\"}],\"internalType\":\"structDatasetRegistry.Statement\",\"name\":\"statement\",\"type\":\"tuple\"}],\"name\":\"statementDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"rowCount\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"reportHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"parentRoot\",\"type\":\"bytes32\"}],\"internalType\":\"structDatasetRegistry.Statement\",\"name\":\"statement\",\"type\":\"tuple\"}],\"name\":\"statementHash\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"}],\"name\":\"statementOf\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"merkleRoot\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"statementHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"rowCount\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"attestedBlock\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"attestedAt\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"revoked\",\"type\":\"bool\"}],\"internalType\":\"structDatasetRegistry.Record\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address[]\",\"name\":\"newStewards\",\"type\":\"address[]\"},{\"internalType\":\"uint256\",\"name\":\"newThreshold\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"updateNonce\",\"type\":\"uint256\"}],\"name\":\"stewardUpdateDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"stewards\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"threshold\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address[]\",\"name\":\"newStewards\",\"type\":\"address[]\"},{\"internalType\":\"uint256\",\"name\":\"newThreshold\",\"type\":\"uint256\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"}],\"name\":\"updateStewards\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"dataset\",\"type\":\"string\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"leafHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"index\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"treeSize\",\"type\":\"uint64\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"}],\"name\":\"verifyRecord\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "DatasetRegistry",
	Bin: "0x610160604052348015610010575f5ffd5b5060405161262a38038061262a83398101604081905261002f9161035e565b6040518060400160405280601b81526020017f67726f756e647472757468204461746173657452656769737472790000000000815250604051806040016040528060018152602001603160f81b81525061008e8261014160201b60201c565b6101205261009b81610141565b61014052815160208084019190912060e052815190820120610100524660a05261012760e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60805250503060c05261013a8282610187565b50506104f6565b5f5f829050601f81511115610174578260405163305a27a960e01b815260040161016b9190610432565b60405180910390fd5b805161017f82610467565b179392505050565b815160208111156101ae57604051630249b09560e01b81526004810182905260240161016b565b8115806101ba57508082115b156101e257604051637b7a98f160e01b8152600481018390526024810182905260440161016b565b5f5b818110156102d4575f8482815181106101ff576101ff61048d565b602002602001015190505f6001600160a01b0316816001600160a01b0316148061024057506001600160a01b0381165f9081526003602052604090205460ff165b1561026957604051639c7838fb60e01b81526001600160a01b038216600482015260240161016b565b6001600160a01b03165f818152600360205260408120805460ff1916600190811790915560028054808301825592527f405787fa12a823e0f2b7631cc41b3ba8828b3321ca811111fa75cd3aa3bb5ace90910180546001600160a01b031916909217909155016101e4565b50600480546001600160801b0319166001600160801b0384161790556040517f73bc8361660be47d211569e479d6886bd7a682ca1b246511effd821641e5c5cd9061032290859085906104a1565b60405180910390a1505050565b634e487b7160e01b5f52604160045260245ffd5b80516001600160a01b0381168114610359575f5ffd5b919050565b5f5f6040838503121561036f575f5ffd5b82516001600160401b03811115610384575f5ffd5b8301601f81018513610394575f5ffd5b80516001600160401b038111156103ad576103ad61032f565b604051600582901b90603f8201601f191681016001600160401b03811182821017156103db576103db61032f565b6040529182526020818401810192908101888411156103f8575f5ffd5b6020850194505b8385101561041e5761041085610343565b8152602094850194016103ff565b506020969096015195979596505050505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80516020808301519190811015610487575f198160200360031b1b821691505b50919050565b634e487b7160e01b5f52603260045260245ffd5b604080825283519082018190525f9060208501906060840190835b818110156104e35783516001600160a01b03168352602093840193909201916001016104bc565b5050602093909301939093525092915050565b60805160a05160c05160e0516101005161012051610140516120e36105475f395f6111ab01525f61118001525f6113dc01525f6113b401525f61130f01525f61133901525f61136301526120e35ff3fe608060405234801561000f575f5ffd5b5060043610610153575f3560e01c8063aa53d25d116100bf578063e5fdbb7411610079578063e5fdbb7414610392578063e9fb3fc0146103a5578063ea784506146103cc578063f695505e146103e1578063f698da25146103f4578063ffb6f069146103fc575f5ffd5b8063aa53d25d14610312578063affed0e014610325578063d590ac7e1461033d578063dee8871414610364578063e4f8fddf1461036c578063e5ca85621461037f575f5ffd5b806358bcdce11161011057806358bcdce11461020457806364f4258e1461022b57806384b0196e146102a65780639bf0c00c146102c15780639da13ae4146102d4578063a37bd271146102ff575f5ffd5b8063070f8f5a146101575780631efe86471461018757806325537a9c146101aa5780632628c618146101cb57806342cde4e8146101de578063515c3e71146101ef575b5f5ffd5b61016a6101653660046118a1565b61040f565b6040516001600160401b0390911681526020015b60405180910390f35b61019a6101953660046118f5565b61044e565b604051901515815260200161017e565b6101bd6101b83660046118a1565b6104fc565b60405190815260200161017e565b61019a6101d936600461193c565b610542565b6004546001600160801b03166101bd565b6102026101fd3660046119cb565b61059c565b005b6101bd7f02cbbf56c2cb97457df43b7507a344f1281bb287c5d4e3cd14186f9de3da995881565b61023e61023936600461193c565b6106ec565b60405161017e91905f60c08201905082518252602083015160208301526001600160401b0360408401511660408301526001600160401b0360608401511660608301526001600160401b03608084015116608083015260a0830151151560a083015292915050565b6102ae6107bb565b60405161017e9796959493929190611aa6565b61019a6102cf36600461193c565b6107fd565b61019a6102e2366004611b52565b6001600160a01b03165f9081526003602052604090205460ff1690565b6101bd61030d366004611b6b565b610872565b61019a610320366004611bf2565b610923565b600454600160801b90046001600160801b03166101bd565b6101bd7fd7761bc5781a0e7066f702c5fb5bdd5c94a5ce17b57aecc4db5990fb7856399681565b6101bd602081565b6101bd61037a3660046118f5565b6109f7565b61020261038d366004611c9a565b610a29565b6101bd6103a0366004611d01565b610c92565b6101bd7fdc643b49c70e65870f635c1c9e3612d5809e35ccf3179bf5d0d938963178b68c81565b6103d4610d29565b60405161017e9190611d90565b6101bd6103ef3660046118f5565b610d89565b6101bd610db3565b61020261040a366004611da2565b610dc1565b5f60065f8484604051610423929190611e19565b604080519182900390912082526020820192909252015f20546001600160401b031690505b92915050565b5f8061045a8380611e28565b604051610468929190611e19565b604051809103902090505f60055f8381526020019081526020015f205f8560200160208101906104989190611e6a565b6001600160401b03908116825260208201929092526040015f206002810154909250600160401b900416158015906104dc57506002810154600160c01b900460ff16155b80156104f457506104ed8285610e30565b8160010154145b949350505050565b5f61053b83838080601f0160208091040260200160405190810160405280939291908181526020018383808284375f92019190915250610eef92505050565b9392505050565b5f60055f8585604051610556929190611e19565b604080519182900390912082526020808301939093529081015f9081206001600160401b038616825290925290206002015460ff600160c01b9091041690509392505050565b5f87876040516105ad929190611e19565b60408051918290039091205f818152600560209081528382206001600160401b03808c1684529152928120600281015492945092600160401b909204909116900361061a57888888604051634a979c5960e11b815260040161061193929190611eab565b60405180910390fd5b6002810154600160c01b900460ff161561064d5788888860405163d953133960e01b815260040161061193929190611eab565b5f610656610f60565b90505f6106678b8b8b8b8b87610872565b90505f610675828888610f9e565b905060018460020160186101000a81548160ff021916908315150217905550896001600160401b0316857fd69c415e8f683ee8717854a5d36835b94fff26d5461ba4d81fa31cdb6c3db0348e8e8d8d876040516106d6959493929190611ed7565b60405180910390a3505050505050505050505050565b6040805160c0810182525f80825260208201819052918101829052606081018290526080810182905260a081019190915260055f8585604051610730929190611e19565b604080519182900390912082526020808301939093529081015f9081206001600160401b0395861682528352819020815160c081018352815481526001820154938101939093526002015480851691830191909152600160401b810484166060830152600160801b81049093166080820152600160c01b90920460ff16151560a08301525092915050565b5f6060805f5f5f60606107cc611179565b6107d46111a4565b604080515f80825260208201909252600f60f81b9b939a50919850469750309650945092509050565b5f5f60055f8686604051610812929190611e19565b604080519182900390912082526020808301939093529081015f9081206001600160401b0380881683529352206002810154909250600160401b9004161580159061086957506002810154600160c01b900460ff16155b95945050505050565b5f5f7fd7761bc5781a0e7066f702c5fb5bdd5c94a5ce17b57aecc4db5990fb7856399688886040516108a5929190611e19565b60405180910390208787876040516108be929190611e19565b6040805191829003822060208301959095528101929092526001600160401b03166060820152608081019190915260a0810184905260c001604051602081830303815290604052805190602001209050610917816111cf565b98975050505050505050565b5f5f60055f8b8b604051610938929190611e19565b604080519182900390912082526020808301939093529081015f9081206001600160401b03808d1683529352206002810154909250600160401b900416158061098c57506002810154600160c01b900460ff165b806109a7575060028101546001600160401b03868116911614155b156109b5575f915050610917565b5f5f6109d6886001600160401b0316886001600160401b03168b89896111fb565b915091508180156109e75750825481145b9c9b505050505050505050505050565b5f610448610a24610a088480611e28565b604051610a16929190611e19565b604051809103902084610e30565b6111cf565b610a396040840160208501611e6a565b6001600160401b03165f03610a615760405163a9146eeb60e01b815260040160405180910390fd5b5f610a6c8480611e28565b604051610a7a929190611e19565b604051809103902090505f60055f8381526020019081526020015f205f866020016020810190610aaa9190611e6a565b6001600160401b03908116825260208201929092526040015f206002810154909250600160401b90041615610b1257610ae38580611e28565b610af36040880160208901611e6a565b835460405163133819cb60e01b81526106119493929190600401611f25565b5f610b1d8387610e30565b90505f610b33610b2c836111cf565b8787610f9e565b60408801358455600184018390559050610b536080880160608901611e6a565b6002840180546001600160401b039283166001600160801b031990911617600160401b438416021767ffffffffffffffff60801b1916600160801b428416021790555f858152600660209081526040918290205490921691610bb9918a01908a01611e6a565b6001600160401b03161115610c0557610bd86040880160208901611e6a565b5f858152600660205260409020805467ffffffffffffffff19166001600160401b03929092169190911790555b60408701803590610c199060208a01611e6a565b6001600160401b0316857f1d734feb202bf1ec3a308c1fefb638b0b7007652205fc04e8e5262bc88f6ad8c610c4e8b80611e28565b610c5e60808e0160608f01611e6a565b8d608001358e60a001358f60c001358a604051610c819796959493929190611f54565b60405180910390a450505050505050565b5f5f7f02cbbf56c2cb97457df43b7507a344f1281bb287c5d4e3cd14186f9de3da99588686604051602001610cc8929190611fa8565b60408051601f19818403018152828252805160209182012090830193909352810191909152606081018590526080810184905260a001604051602081830303815290604052805190602001209050610d1f816112f9565b9695505050505050565b60606002805480602002602001604051908101604052809291908181526020018280548015610d7f57602002820191905f5260205f20905b81546001600160a01b03168152600190910190602001808311610d61575b5050505050905090565b5f610448610d978380611e28565b604051610da5929190611e19565b604051809103902083610e30565b5f610dbc611303565b905090565b5f610dca610f60565b9050610de2610ddb87878785610c92565b8484610f9e565b50610deb61142c565b610e288686808060200260200160405190810160405280939291908181526020018383602002808284375f92019190915250889250611498915050565b505050505050565b5f7fdc643b49c70e65870f635c1c9e3612d5809e35ccf3179bf5d0d938963178b68c83610e636040850160208601611e6a565b6040850135610e786080870160608801611e6a565b6040805160208101969096528501939093526001600160401b039182166060850152608084810191909152911660a0838101919091529084013560c0838101919091529084013560e08301528301356101008201526101200160405160208183030381529060405280519060200120905092915050565b5f60025f60f81b83604051602001610f08929190611ffe565b60408051601f1981840301815290829052610f2291612019565b602060405180830381855afa158015610f3d573d5f5f3e3d5ffd5b5050506040513d601f19601f820116820180604052508101906104489190612024565b600454600160801b90046001600160801b0316610f7e81600161204f565b600480546001600160801b03928316600160801b02921691909117905590565b6004546060906001600160801b031680831015610fd8576040516378f4355360e11b81526004810184905260248101829052604401610611565b826001600160401b03811115610ff057610ff0611f11565b604051908082528060200260200182016040528015611019578160200160208202803683370190505b5091505f5b83811015611170575f5f6110558888888681811061103e5761103e612062565b90506020028101906110509190611e28565b611640565b5090925090505f81600381111561106e5761106e612076565b1461108f57604051630a57f30960e31b815260048101849052602401610611565b6001600160a01b0382165f9081526003602052604090205460ff166110d257604051630102389960e51b81526001600160a01b0383166004820152602401610611565b5f5b8381101561113a57826001600160a01b03168682815181106110f8576110f8612062565b60200260200101516001600160a01b03160361113257604051637010e27960e11b81526001600160a01b0384166004820152602401610611565b6001016110d4565b508185848151811061114e5761114e612062565b6001600160a01b0390921660209283029190910190910152505060010161101e565b50509392505050565b6060610dbc7f0000000000000000000000000000000000000000000000000000000000000000611687565b6060610dbc7f0000000000000000000000000000000000000000000000000000000000000000611687565b5f6104486111db611303565b8360405161190160f01b8152600281019290925260228201526042902090565b5f5f85871061120e57505f9050806112ef565b5f61122461121d60018961208a565b89186116c4565b90505f61123289831c6116e8565b905061123e818361204f565b851461125257505f92508291506112ef9050565b8692505f5b828110156112bd5760018a821c16156112915761128c87878381811061127f5761127f612062565b905060200201358561170f565b6112b3565b6112b3848888848181106112a7576112a7612062565b9050602002013561170f565b9350600101611257565b50815b858110156112e7576112dd87878381811061127f5761127f612062565b93506001016112c0565b506001935050505b9550959350505050565b5f610448826111cf565b5f306001600160a01b037f00000000000000000000000000000000000000000000000000000000000000001614801561135b57507f000000000000000000000000000000000000000000000000000000000000000046145b1561138557507f000000000000000000000000000000000000000000000000000000000000000090565b610dbc604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b5f5b60025481101561148a575f60035f6002848154811061144f5761144f612062565b5f918252602080832091909101546001600160a01b031683528201929092526040019020805460ff191691151591909117905560010161142e565b5061149660025f61182e565b565b815160208111156114bf57604051630249b09560e01b815260048101829052602401610611565b8115806114cb57508082115b156114f357604051637b7a98f160e01b81526004810183905260248101829052604401610611565b5f5b818110156115e5575f84828151811061151057611510612062565b602002602001015190505f6001600160a01b0316816001600160a01b0316148061155157506001600160a01b0381165f9081526003602052604090205460ff165b1561157a57604051639c7838fb60e01b81526001600160a01b0382166004820152602401610611565b6001600160a01b03165f818152600360205260408120805460ff1916600190811790915560028054808301825592527f405787fa12a823e0f2b7631cc41b3ba8828b3321ca811111fa75cd3aa3bb5ace90910180546001600160a01b031916909217909155016114f5565b50600480546001600160801b0319166001600160801b0384161790556040517f73bc8361660be47d211569e479d6886bd7a682ca1b246511effd821641e5c5cd90611633908590859061209d565b60405180910390a1505050565b5f80806041849003611674578435602086013560408701355f1a6116668982858561173f565b95509550955050505061167e565b505f915060029050825b93509350939050565b60605f61169383611807565b6040805160208082528183019092529192505f91906020820181803683375050509182525060208101929092525090565b5f5b81156116e35760019190911c906116dc816120be565b90506116c6565b919050565b5f5b81156116e3576116fb60018361208a565b90911690611708816120be565b90506116ea565b5f6040516001815383600182015282602182015260205f60418360025afa611735575f5ffd5b50505f5192915050565b5f80807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a084111561177857505f915060039050826117fd565b604080515f808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa1580156117c9573d5f5f3e3d5ffd5b5050604051601f1901519150506001600160a01b0381166117f457505f9250600191508290506117fd565b92505f91508190505b9450945094915050565b5f60ff8216601f81111561044857604051632cd44ac360e21b815260040160405180910390fd5b5080545f8255905f5260205f209061149691905f5b80821115611858575f81840155600101611843565b505050565b5f5f83601f84011261186d575f5ffd5b5081356001600160401b03811115611883575f5ffd5b60208301915083602082850101111561189a575f5ffd5b9250929050565b5f5f602083850312156118b2575f5ffd5b82356001600160401b038111156118c7575f5ffd5b6118d38582860161185d565b90969095509350505050565b5f60e082840312156118ef575f5ffd5b50919050565b5f60208284031215611905575f5ffd5b81356001600160401b0381111561191a575f5ffd5b6104f4848285016118df565b80356001600160401b03811681146116e3575f5ffd5b5f5f5f6040848603121561194e575f5ffd5b83356001600160401b03811115611963575f5ffd5b61196f8682870161185d565b9094509250611982905060208501611926565b90509250925092565b5f5f83601f84011261199b575f5ffd5b5081356001600160401b038111156119b1575f5ffd5b6020830191508360208260051b850101111561189a575f5ffd5b5f5f5f5f5f5f5f6080888a0312156119e1575f5ffd5b87356001600160401b038111156119f6575f5ffd5b611a028a828b0161185d565b9098509650611a15905060208901611926565b945060408801356001600160401b03811115611a2f575f5ffd5b611a3b8a828b0161185d565b90955093505060608801356001600160401b03811115611a59575f5ffd5b611a658a828b0161198b565b989b979a50959850939692959293505050565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b60ff60f81b8816815260e060208201525f611ac460e0830189611a78565b8281036040840152611ad68189611a78565b606084018890526001600160a01b038716608085015260a0840186905283810360c0850152845180825260208087019350909101905f5b81811015611b2b578351835260209384019390920191600101611b0d565b50909b9a5050505050505050505050565b80356001600160a01b03811681146116e3575f5ffd5b5f60208284031215611b62575f5ffd5b61053b82611b3c565b5f5f5f5f5f5f60808789031215611b80575f5ffd5b86356001600160401b03811115611b95575f5ffd5b611ba189828a0161185d565b9097509550611bb4905060208801611926565b935060408701356001600160401b03811115611bce575f5ffd5b611bda89828a0161185d565b979a9699509497949695606090950135949350505050565b5f5f5f5f5f5f5f5f60c0898b031215611c09575f5ffd5b88356001600160401b03811115611c1e575f5ffd5b611c2a8b828c0161185d565b9099509750611c3d905060208a01611926565b955060408901359450611c5260608a01611926565b9350611c6060808a01611926565b925060a08901356001600160401b03811115611c7a575f5ffd5b611c868b828c0161198b565b999c989b5096995094979396929594505050565b5f5f5f60408486031215611cac575f5ffd5b83356001600160401b03811115611cc1575f5ffd5b611ccd868287016118df565b93505060208401356001600160401b03811115611ce8575f5ffd5b611cf48682870161198b565b9497909650939450505050565b5f5f5f5f60608587031215611d14575f5ffd5b84356001600160401b03811115611d29575f5ffd5b611d358782880161198b565b90989097506020870135966040013595509350505050565b5f8151808452602084019350602083015f5b82811015611d865781516001600160a01b0316865260209586019590910190600101611d5f565b5093949350505050565b602081525f61053b6020830184611d4d565b5f5f5f5f5f60608688031215611db6575f5ffd5b85356001600160401b03811115611dcb575f5ffd5b611dd78882890161198b565b9096509450506020860135925060408601356001600160401b03811115611dfc575f5ffd5b611e088882890161198b565b969995985093965092949392505050565b818382375f9101908152919050565b5f5f8335601e19843603018112611e3d575f5ffd5b8301803591506001600160401b03821115611e56575f5ffd5b60200191503681900382131561189a575f5ffd5b5f60208284031215611e7a575f5ffd5b61053b82611926565b81835281816020850137505f828201602090810191909152601f909101601f19169091010190565b604081525f611ebe604083018587611e83565b90506001600160401b0383166020830152949350505050565b606081525f611eea606083018789611e83565b8281036020840152611efd818688611e83565b905082810360408401526109178185611d4d565b634e487b7160e01b5f52604160045260245ffd5b606081525f611f38606083018688611e83565b6001600160401b03949094166020830152506040015292915050565b60c081525f611f6760c08301898b611e83565b6001600160401b038816602084015286604084015285606084015284608084015282810360a0840152611f9a8185611d4d565b9a9950505050505050505050565b5f8184825b85811015611fdc576001600160a01b03611fc683611b3c565b1683526020928301929190910190600101611fad565b509095945050505050565b5f81518060208401855e5f93019283525090919050565b6001600160f81b0319831681525f6104f46001830184611fe7565b5f61053b8284611fe7565b5f60208284031215612034575f5ffd5b5051919050565b634e487b7160e01b5f52601160045260245ffd5b808201808211156104485761044861203b565b634e487b7160e01b5f52603260045260245ffd5b634e487b7160e01b5f52602160045260245ffd5b818103818111156104485761044861203b565b604081525f6120af6040830185611d4d565b90508260208301529392505050565b5f600182016120cf576120cf61203b565b506001019056fea164736f6c6343000825000a",
}

// DatasetRegistry is an auto generated Go binding around an Ethereum contract.
type DatasetRegistry struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *DatasetRegistry) GetABI() abi.ABI {
	return c.abi
}

// NewDatasetRegistry creates a new instance of DatasetRegistry.
func NewDatasetRegistry() *DatasetRegistry {
	parsed, err := DatasetRegistryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &DatasetRegistry{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *DatasetRegistry) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address[] initialStewards, uint256 initialThreshold) returns()
func (datasetRegistry *DatasetRegistry) PackConstructor(initialStewards []common.Address, initialThreshold *big.Int) []byte {
	enc, err := datasetRegistry.abi.Pack("", initialStewards, initialThreshold)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackMAXSTEWARDS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdee88714.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_STEWARDS() view returns(uint256)
func (datasetRegistry *DatasetRegistry) PackMAXSTEWARDS() []byte {
	enc, err := datasetRegistry.abi.Pack("MAX_STEWARDS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXSTEWARDS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdee88714.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_STEWARDS() view returns(uint256)
func (datasetRegistry *DatasetRegistry) TryPackMAXSTEWARDS() ([]byte, error) {
	return datasetRegistry.abi.Pack("MAX_STEWARDS")
}

// UnpackMAXSTEWARDS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdee88714.
//
// Solidity: function MAX_STEWARDS() view returns(uint256)
func (datasetRegistry *DatasetRegistry) UnpackMAXSTEWARDS(data []byte) (*big.Int, error) {
	out, err := datasetRegistry.abi.Unpack("MAX_STEWARDS", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackREVOCATIONTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd590ac7e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function REVOCATION_TYPEHASH() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) PackREVOCATIONTYPEHASH() []byte {
	enc, err := datasetRegistry.abi.Pack("REVOCATION_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackREVOCATIONTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd590ac7e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function REVOCATION_TYPEHASH() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) TryPackREVOCATIONTYPEHASH() ([]byte, error) {
	return datasetRegistry.abi.Pack("REVOCATION_TYPEHASH")
}

// UnpackREVOCATIONTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd590ac7e.
//
// Solidity: function REVOCATION_TYPEHASH() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) UnpackREVOCATIONTYPEHASH(data []byte) ([32]byte, error) {
	out, err := datasetRegistry.abi.Unpack("REVOCATION_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackSTATEMENTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe9fb3fc0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function STATEMENT_TYPEHASH() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) PackSTATEMENTTYPEHASH() []byte {
	enc, err := datasetRegistry.abi.Pack("STATEMENT_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSTATEMENTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe9fb3fc0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function STATEMENT_TYPEHASH() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) TryPackSTATEMENTTYPEHASH() ([]byte, error) {
	return datasetRegistry.abi.Pack("STATEMENT_TYPEHASH")
}

// UnpackSTATEMENTTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe9fb3fc0.
//
// Solidity: function STATEMENT_TYPEHASH() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) UnpackSTATEMENTTYPEHASH(data []byte) ([32]byte, error) {
	out, err := datasetRegistry.abi.Unpack("STATEMENT_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackSTEWARDUPDATETYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x58bcdce1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function STEWARD_UPDATE_TYPEHASH() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) PackSTEWARDUPDATETYPEHASH() []byte {
	enc, err := datasetRegistry.abi.Pack("STEWARD_UPDATE_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSTEWARDUPDATETYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x58bcdce1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function STEWARD_UPDATE_TYPEHASH() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) TryPackSTEWARDUPDATETYPEHASH() ([]byte, error) {
	return datasetRegistry.abi.Pack("STEWARD_UPDATE_TYPEHASH")
}

// UnpackSTEWARDUPDATETYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x58bcdce1.
//
// Solidity: function STEWARD_UPDATE_TYPEHASH() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) UnpackSTEWARDUPDATETYPEHASH(data []byte) ([32]byte, error) {
	out, err := datasetRegistry.abi.Unpack("STEWARD_UPDATE_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5ca8562.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attest((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement, bytes[] signatures) returns()
func (datasetRegistry *DatasetRegistry) PackAttest(statement DatasetRegistryStatement, signatures [][]byte) []byte {
	enc, err := datasetRegistry.abi.Pack("attest", statement, signatures)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5ca8562.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attest((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement, bytes[] signatures) returns()
func (datasetRegistry *DatasetRegistry) TryPackAttest(statement DatasetRegistryStatement, signatures [][]byte) ([]byte, error) {
	return datasetRegistry.abi.Pack("attest", statement, signatures)
}

// PackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) PackDomainSeparator() []byte {
	enc, err := datasetRegistry.abi.Pack("domainSeparator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) TryPackDomainSeparator() ([]byte, error) {
	return datasetRegistry.abi.Pack("domainSeparator")
}

// UnpackDomainSeparator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (datasetRegistry *DatasetRegistry) UnpackDomainSeparator(data []byte) ([32]byte, error) {
	out, err := datasetRegistry.abi.Unpack("domainSeparator", data)
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
func (datasetRegistry *DatasetRegistry) PackEip712Domain() []byte {
	enc, err := datasetRegistry.abi.Pack("eip712Domain")
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
func (datasetRegistry *DatasetRegistry) TryPackEip712Domain() ([]byte, error) {
	return datasetRegistry.abi.Pack("eip712Domain")
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
func (datasetRegistry *DatasetRegistry) UnpackEip712Domain(data []byte) (Eip712DomainOutput, error) {
	out, err := datasetRegistry.abi.Unpack("eip712Domain", data)
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

// PackHashLeaf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x25537a9c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashLeaf(bytes row) pure returns(bytes32)
func (datasetRegistry *DatasetRegistry) PackHashLeaf(row []byte) []byte {
	enc, err := datasetRegistry.abi.Pack("hashLeaf", row)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashLeaf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x25537a9c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashLeaf(bytes row) pure returns(bytes32)
func (datasetRegistry *DatasetRegistry) TryPackHashLeaf(row []byte) ([]byte, error) {
	return datasetRegistry.abi.Pack("hashLeaf", row)
}

// UnpackHashLeaf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x25537a9c.
//
// Solidity: function hashLeaf(bytes row) pure returns(bytes32)
func (datasetRegistry *DatasetRegistry) UnpackHashLeaf(data []byte) ([32]byte, error) {
	out, err := datasetRegistry.abi.Unpack("hashLeaf", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackIsAttested is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9bf0c00c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isAttested(string dataset, uint64 version) view returns(bool)
func (datasetRegistry *DatasetRegistry) PackIsAttested(dataset string, version uint64) []byte {
	enc, err := datasetRegistry.abi.Pack("isAttested", dataset, version)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsAttested is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9bf0c00c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isAttested(string dataset, uint64 version) view returns(bool)
func (datasetRegistry *DatasetRegistry) TryPackIsAttested(dataset string, version uint64) ([]byte, error) {
	return datasetRegistry.abi.Pack("isAttested", dataset, version)
}

// UnpackIsAttested is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9bf0c00c.
//
// Solidity: function isAttested(string dataset, uint64 version) view returns(bool)
func (datasetRegistry *DatasetRegistry) UnpackIsAttested(data []byte) (bool, error) {
	out, err := datasetRegistry.abi.Unpack("isAttested", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsRevoked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2628c618.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isRevoked(string dataset, uint64 version) view returns(bool)
func (datasetRegistry *DatasetRegistry) PackIsRevoked(dataset string, version uint64) []byte {
	enc, err := datasetRegistry.abi.Pack("isRevoked", dataset, version)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsRevoked is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2628c618.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isRevoked(string dataset, uint64 version) view returns(bool)
func (datasetRegistry *DatasetRegistry) TryPackIsRevoked(dataset string, version uint64) ([]byte, error) {
	return datasetRegistry.abi.Pack("isRevoked", dataset, version)
}

// UnpackIsRevoked is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2628c618.
//
// Solidity: function isRevoked(string dataset, uint64 version) view returns(bool)
func (datasetRegistry *DatasetRegistry) UnpackIsRevoked(data []byte) (bool, error) {
	out, err := datasetRegistry.abi.Unpack("isRevoked", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsStatementAttested is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1efe8647.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isStatementAttested((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement) view returns(bool)
func (datasetRegistry *DatasetRegistry) PackIsStatementAttested(statement DatasetRegistryStatement) []byte {
	enc, err := datasetRegistry.abi.Pack("isStatementAttested", statement)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsStatementAttested is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1efe8647.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isStatementAttested((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement) view returns(bool)
func (datasetRegistry *DatasetRegistry) TryPackIsStatementAttested(statement DatasetRegistryStatement) ([]byte, error) {
	return datasetRegistry.abi.Pack("isStatementAttested", statement)
}

// UnpackIsStatementAttested is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1efe8647.
//
// Solidity: function isStatementAttested((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement) view returns(bool)
func (datasetRegistry *DatasetRegistry) UnpackIsStatementAttested(data []byte) (bool, error) {
	out, err := datasetRegistry.abi.Unpack("isStatementAttested", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsSteward is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9da13ae4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isSteward(address account) view returns(bool)
func (datasetRegistry *DatasetRegistry) PackIsSteward(account common.Address) []byte {
	enc, err := datasetRegistry.abi.Pack("isSteward", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsSteward is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9da13ae4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isSteward(address account) view returns(bool)
func (datasetRegistry *DatasetRegistry) TryPackIsSteward(account common.Address) ([]byte, error) {
	return datasetRegistry.abi.Pack("isSteward", account)
}

// UnpackIsSteward is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9da13ae4.
//
// Solidity: function isSteward(address account) view returns(bool)
func (datasetRegistry *DatasetRegistry) UnpackIsSteward(data []byte) (bool, error) {
	out, err := datasetRegistry.abi.Unpack("isSteward", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackLatestVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x070f8f5a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function latestVersion(string dataset) view returns(uint64)
func (datasetRegistry *DatasetRegistry) PackLatestVersion(dataset string) []byte {
	enc, err := datasetRegistry.abi.Pack("latestVersion", dataset)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLatestVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x070f8f5a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function latestVersion(string dataset) view returns(uint64)
func (datasetRegistry *DatasetRegistry) TryPackLatestVersion(dataset string) ([]byte, error) {
	return datasetRegistry.abi.Pack("latestVersion", dataset)
}

// UnpackLatestVersion is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x070f8f5a.
//
// Solidity: function latestVersion(string dataset) view returns(uint64)
func (datasetRegistry *DatasetRegistry) UnpackLatestVersion(data []byte) (uint64, error) {
	out, err := datasetRegistry.abi.Unpack("latestVersion", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaffed0e0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nonce() view returns(uint256)
func (datasetRegistry *DatasetRegistry) PackNonce() []byte {
	enc, err := datasetRegistry.abi.Pack("nonce")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNonce is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaffed0e0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nonce() view returns(uint256)
func (datasetRegistry *DatasetRegistry) TryPackNonce() ([]byte, error) {
	return datasetRegistry.abi.Pack("nonce")
}

// UnpackNonce is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xaffed0e0.
//
// Solidity: function nonce() view returns(uint256)
func (datasetRegistry *DatasetRegistry) UnpackNonce(data []byte) (*big.Int, error) {
	out, err := datasetRegistry.abi.Unpack("nonce", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRevocationDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa37bd271.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revocationDigest(string dataset, uint64 version, string reason, uint256 revocationNonce) view returns(bytes32)
func (datasetRegistry *DatasetRegistry) PackRevocationDigest(dataset string, version uint64, reason string, revocationNonce *big.Int) []byte {
	enc, err := datasetRegistry.abi.Pack("revocationDigest", dataset, version, reason, revocationNonce)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevocationDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa37bd271.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revocationDigest(string dataset, uint64 version, string reason, uint256 revocationNonce) view returns(bytes32)
func (datasetRegistry *DatasetRegistry) TryPackRevocationDigest(dataset string, version uint64, reason string, revocationNonce *big.Int) ([]byte, error) {
	return datasetRegistry.abi.Pack("revocationDigest", dataset, version, reason, revocationNonce)
}

// UnpackRevocationDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa37bd271.
//
// Solidity: function revocationDigest(string dataset, uint64 version, string reason, uint256 revocationNonce) view returns(bytes32)
func (datasetRegistry *DatasetRegistry) UnpackRevocationDigest(data []byte) ([32]byte, error) {
	out, err := datasetRegistry.abi.Unpack("revocationDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x515c3e71.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revoke(string dataset, uint64 version, string reason, bytes[] signatures) returns()
func (datasetRegistry *DatasetRegistry) PackRevoke(dataset string, version uint64, reason string, signatures [][]byte) []byte {
	enc, err := datasetRegistry.abi.Pack("revoke", dataset, version, reason, signatures)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevoke is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x515c3e71.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revoke(string dataset, uint64 version, string reason, bytes[] signatures) returns()
func (datasetRegistry *DatasetRegistry) TryPackRevoke(dataset string, version uint64, reason string, signatures [][]byte) ([]byte, error) {
	return datasetRegistry.abi.Pack("revoke", dataset, version, reason, signatures)
}

// PackStatementDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe4f8fddf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function statementDigest((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement) view returns(bytes32)
func (datasetRegistry *DatasetRegistry) PackStatementDigest(statement DatasetRegistryStatement) []byte {
	enc, err := datasetRegistry.abi.Pack("statementDigest", statement)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStatementDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe4f8fddf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function statementDigest((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement) view returns(bytes32)
func (datasetRegistry *DatasetRegistry) TryPackStatementDigest(statement DatasetRegistryStatement) ([]byte, error) {
	return datasetRegistry.abi.Pack("statementDigest", statement)
}

// UnpackStatementDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe4f8fddf.
//
// Solidity: function statementDigest((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement) view returns(bytes32)
func (datasetRegistry *DatasetRegistry) UnpackStatementDigest(data []byte) ([32]byte, error) {
	out, err := datasetRegistry.abi.Unpack("statementDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackStatementHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf695505e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function statementHash((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement) pure returns(bytes32)
func (datasetRegistry *DatasetRegistry) PackStatementHash(statement DatasetRegistryStatement) []byte {
	enc, err := datasetRegistry.abi.Pack("statementHash", statement)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStatementHash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf695505e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function statementHash((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement) pure returns(bytes32)
func (datasetRegistry *DatasetRegistry) TryPackStatementHash(statement DatasetRegistryStatement) ([]byte, error) {
	return datasetRegistry.abi.Pack("statementHash", statement)
}

// UnpackStatementHash is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf695505e.
//
// Solidity: function statementHash((string,uint64,bytes32,uint64,bytes32,bytes32,bytes32) statement) pure returns(bytes32)
func (datasetRegistry *DatasetRegistry) UnpackStatementHash(data []byte) ([32]byte, error) {
	out, err := datasetRegistry.abi.Unpack("statementHash", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackStatementOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x64f4258e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function statementOf(string dataset, uint64 version) view returns((bytes32,bytes32,uint64,uint64,uint64,bool))
func (datasetRegistry *DatasetRegistry) PackStatementOf(dataset string, version uint64) []byte {
	enc, err := datasetRegistry.abi.Pack("statementOf", dataset, version)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStatementOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x64f4258e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function statementOf(string dataset, uint64 version) view returns((bytes32,bytes32,uint64,uint64,uint64,bool))
func (datasetRegistry *DatasetRegistry) TryPackStatementOf(dataset string, version uint64) ([]byte, error) {
	return datasetRegistry.abi.Pack("statementOf", dataset, version)
}

// UnpackStatementOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x64f4258e.
//
// Solidity: function statementOf(string dataset, uint64 version) view returns((bytes32,bytes32,uint64,uint64,uint64,bool))
func (datasetRegistry *DatasetRegistry) UnpackStatementOf(data []byte) (DatasetRegistryRecord, error) {
	out, err := datasetRegistry.abi.Unpack("statementOf", data)
	if err != nil {
		return *new(DatasetRegistryRecord), err
	}
	out0 := *abi.ConvertType(out[0], new(DatasetRegistryRecord)).(*DatasetRegistryRecord)
	return out0, nil
}

// PackStewardUpdateDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5fdbb74.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stewardUpdateDigest(address[] newStewards, uint256 newThreshold, uint256 updateNonce) view returns(bytes32)
func (datasetRegistry *DatasetRegistry) PackStewardUpdateDigest(newStewards []common.Address, newThreshold *big.Int, updateNonce *big.Int) []byte {
	enc, err := datasetRegistry.abi.Pack("stewardUpdateDigest", newStewards, newThreshold, updateNonce)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStewardUpdateDigest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5fdbb74.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stewardUpdateDigest(address[] newStewards, uint256 newThreshold, uint256 updateNonce) view returns(bytes32)
func (datasetRegistry *DatasetRegistry) TryPackStewardUpdateDigest(newStewards []common.Address, newThreshold *big.Int, updateNonce *big.Int) ([]byte, error) {
	return datasetRegistry.abi.Pack("stewardUpdateDigest", newStewards, newThreshold, updateNonce)
}

// UnpackStewardUpdateDigest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe5fdbb74.
//
// Solidity: function stewardUpdateDigest(address[] newStewards, uint256 newThreshold, uint256 updateNonce) view returns(bytes32)
func (datasetRegistry *DatasetRegistry) UnpackStewardUpdateDigest(data []byte) ([32]byte, error) {
	out, err := datasetRegistry.abi.Unpack("stewardUpdateDigest", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackStewards is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xea784506.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stewards() view returns(address[])
func (datasetRegistry *DatasetRegistry) PackStewards() []byte {
	enc, err := datasetRegistry.abi.Pack("stewards")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStewards is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xea784506.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stewards() view returns(address[])
func (datasetRegistry *DatasetRegistry) TryPackStewards() ([]byte, error) {
	return datasetRegistry.abi.Pack("stewards")
}

// UnpackStewards is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xea784506.
//
// Solidity: function stewards() view returns(address[])
func (datasetRegistry *DatasetRegistry) UnpackStewards(data []byte) ([]common.Address, error) {
	out, err := datasetRegistry.abi.Unpack("stewards", data)
	if err != nil {
		return *new([]common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)
	return out0, nil
}

// PackThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42cde4e8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function threshold() view returns(uint256)
func (datasetRegistry *DatasetRegistry) PackThreshold() []byte {
	enc, err := datasetRegistry.abi.Pack("threshold")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42cde4e8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function threshold() view returns(uint256)
func (datasetRegistry *DatasetRegistry) TryPackThreshold() ([]byte, error) {
	return datasetRegistry.abi.Pack("threshold")
}

// UnpackThreshold is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x42cde4e8.
//
// Solidity: function threshold() view returns(uint256)
func (datasetRegistry *DatasetRegistry) UnpackThreshold(data []byte) (*big.Int, error) {
	out, err := datasetRegistry.abi.Unpack("threshold", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackUpdateStewards is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xffb6f069.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function updateStewards(address[] newStewards, uint256 newThreshold, bytes[] signatures) returns()
func (datasetRegistry *DatasetRegistry) PackUpdateStewards(newStewards []common.Address, newThreshold *big.Int, signatures [][]byte) []byte {
	enc, err := datasetRegistry.abi.Pack("updateStewards", newStewards, newThreshold, signatures)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUpdateStewards is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xffb6f069.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function updateStewards(address[] newStewards, uint256 newThreshold, bytes[] signatures) returns()
func (datasetRegistry *DatasetRegistry) TryPackUpdateStewards(newStewards []common.Address, newThreshold *big.Int, signatures [][]byte) ([]byte, error) {
	return datasetRegistry.abi.Pack("updateStewards", newStewards, newThreshold, signatures)
}

// PackVerifyRecord is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa53d25d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function verifyRecord(string dataset, uint64 version, bytes32 leafHash, uint64 index, uint64 treeSize, bytes32[] proof) view returns(bool)
func (datasetRegistry *DatasetRegistry) PackVerifyRecord(dataset string, version uint64, leafHash [32]byte, index uint64, treeSize uint64, proof [][32]byte) []byte {
	enc, err := datasetRegistry.abi.Pack("verifyRecord", dataset, version, leafHash, index, treeSize, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVerifyRecord is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xaa53d25d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function verifyRecord(string dataset, uint64 version, bytes32 leafHash, uint64 index, uint64 treeSize, bytes32[] proof) view returns(bool)
func (datasetRegistry *DatasetRegistry) TryPackVerifyRecord(dataset string, version uint64, leafHash [32]byte, index uint64, treeSize uint64, proof [][32]byte) ([]byte, error) {
	return datasetRegistry.abi.Pack("verifyRecord", dataset, version, leafHash, index, treeSize, proof)
}

// UnpackVerifyRecord is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xaa53d25d.
//
// Solidity: function verifyRecord(string dataset, uint64 version, bytes32 leafHash, uint64 index, uint64 treeSize, bytes32[] proof) view returns(bool)
func (datasetRegistry *DatasetRegistry) UnpackVerifyRecord(data []byte) (bool, error) {
	out, err := datasetRegistry.abi.Unpack("verifyRecord", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// DatasetRegistryAttested represents a Attested event raised by the DatasetRegistry contract.
type DatasetRegistryAttested struct {
	DatasetKey   [32]byte
	Version      uint64
	MerkleRoot   [32]byte
	Dataset      string
	RowCount     uint64
	ManifestHash [32]byte
	ReportHash   [32]byte
	ParentRoot   [32]byte
	Signers      []common.Address
	Raw          *types.Log // Blockchain specific contextual infos
}

const DatasetRegistryAttestedEventName = "Attested"

// ContractEventName returns the user-defined event name.
func (DatasetRegistryAttested) ContractEventName() string {
	return DatasetRegistryAttestedEventName
}

// UnpackAttestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Attested(bytes32 indexed datasetKey, uint64 indexed version, bytes32 indexed merkleRoot, string dataset, uint64 rowCount, bytes32 manifestHash, bytes32 reportHash, bytes32 parentRoot, address[] signers)
func (datasetRegistry *DatasetRegistry) UnpackAttestedEvent(log *types.Log) (*DatasetRegistryAttested, error) {
	event := "Attested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != datasetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DatasetRegistryAttested)
	if len(log.Data) > 0 {
		if err := datasetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range datasetRegistry.abi.Events[event].Inputs {
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

// DatasetRegistryEIP712DomainChanged represents a EIP712DomainChanged event raised by the DatasetRegistry contract.
type DatasetRegistryEIP712DomainChanged struct {
	Raw *types.Log // Blockchain specific contextual infos
}

const DatasetRegistryEIP712DomainChangedEventName = "EIP712DomainChanged"

// ContractEventName returns the user-defined event name.
func (DatasetRegistryEIP712DomainChanged) ContractEventName() string {
	return DatasetRegistryEIP712DomainChangedEventName
}

// UnpackEIP712DomainChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EIP712DomainChanged()
func (datasetRegistry *DatasetRegistry) UnpackEIP712DomainChangedEvent(log *types.Log) (*DatasetRegistryEIP712DomainChanged, error) {
	event := "EIP712DomainChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != datasetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DatasetRegistryEIP712DomainChanged)
	if len(log.Data) > 0 {
		if err := datasetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range datasetRegistry.abi.Events[event].Inputs {
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

// DatasetRegistryRevoked represents a Revoked event raised by the DatasetRegistry contract.
type DatasetRegistryRevoked struct {
	DatasetKey [32]byte
	Version    uint64
	Dataset    string
	Reason     string
	Signers    []common.Address
	Raw        *types.Log // Blockchain specific contextual infos
}

const DatasetRegistryRevokedEventName = "Revoked"

// ContractEventName returns the user-defined event name.
func (DatasetRegistryRevoked) ContractEventName() string {
	return DatasetRegistryRevokedEventName
}

// UnpackRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Revoked(bytes32 indexed datasetKey, uint64 indexed version, string dataset, string reason, address[] signers)
func (datasetRegistry *DatasetRegistry) UnpackRevokedEvent(log *types.Log) (*DatasetRegistryRevoked, error) {
	event := "Revoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != datasetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DatasetRegistryRevoked)
	if len(log.Data) > 0 {
		if err := datasetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range datasetRegistry.abi.Events[event].Inputs {
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

// DatasetRegistryStewardsUpdated represents a StewardsUpdated event raised by the DatasetRegistry contract.
type DatasetRegistryStewardsUpdated struct {
	Stewards  []common.Address
	Threshold *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const DatasetRegistryStewardsUpdatedEventName = "StewardsUpdated"

// ContractEventName returns the user-defined event name.
func (DatasetRegistryStewardsUpdated) ContractEventName() string {
	return DatasetRegistryStewardsUpdatedEventName
}

// UnpackStewardsUpdatedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event StewardsUpdated(address[] stewards, uint256 threshold)
func (datasetRegistry *DatasetRegistry) UnpackStewardsUpdatedEvent(log *types.Log) (*DatasetRegistryStewardsUpdated, error) {
	event := "StewardsUpdated"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != datasetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(DatasetRegistryStewardsUpdated)
	if len(log.Data) > 0 {
		if err := datasetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range datasetRegistry.abi.Events[event].Inputs {
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
func (datasetRegistry *DatasetRegistry) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["AlreadyAttested"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackAlreadyAttestedError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["AlreadyRevoked"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackAlreadyRevokedError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["DuplicateSigner"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackDuplicateSignerError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["InsufficientSignatures"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackInsufficientSignaturesError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["InvalidShortString"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackInvalidShortStringError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["InvalidSteward"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackInvalidStewardError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["InvalidThreshold"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackInvalidThresholdError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["InvalidVersion"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackInvalidVersionError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["NotAttested"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackNotAttestedError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["NotSteward"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackNotStewardError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["StringTooLong"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackStringTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], datasetRegistry.abi.Errors["TooManyStewards"].ID.Bytes()[:4]) {
		return datasetRegistry.UnpackTooManyStewardsError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// DatasetRegistryAlreadyAttested represents a AlreadyAttested error raised by the DatasetRegistry contract.
type DatasetRegistryAlreadyAttested struct {
	Dataset      string
	Version      uint64
	AttestedRoot [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyAttested(string dataset, uint64 version, bytes32 attestedRoot)
func DatasetRegistryAlreadyAttestedErrorID() common.Hash {
	return common.HexToHash("0x133819cba3ba222db80112d8d38274689e563d87746dee94827d383e5afc91c2")
}

// UnpackAlreadyAttestedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyAttested(string dataset, uint64 version, bytes32 attestedRoot)
func (datasetRegistry *DatasetRegistry) UnpackAlreadyAttestedError(raw []byte) (*DatasetRegistryAlreadyAttested, error) {
	out := new(DatasetRegistryAlreadyAttested)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "AlreadyAttested", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryAlreadyRevoked represents a AlreadyRevoked error raised by the DatasetRegistry contract.
type DatasetRegistryAlreadyRevoked struct {
	Dataset string
	Version uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRevoked(string dataset, uint64 version)
func DatasetRegistryAlreadyRevokedErrorID() common.Hash {
	return common.HexToHash("0xd95313398f5eb9e15b4bcff3d7f755a80965d43f08f1e0b1ea20892a8e076f43")
}

// UnpackAlreadyRevokedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRevoked(string dataset, uint64 version)
func (datasetRegistry *DatasetRegistry) UnpackAlreadyRevokedError(raw []byte) (*DatasetRegistryAlreadyRevoked, error) {
	out := new(DatasetRegistryAlreadyRevoked)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "AlreadyRevoked", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryDuplicateSigner represents a DuplicateSigner error raised by the DatasetRegistry contract.
type DatasetRegistryDuplicateSigner struct {
	Signer common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DuplicateSigner(address signer)
func DatasetRegistryDuplicateSignerErrorID() common.Hash {
	return common.HexToHash("0xe021c4f2415a9d8c855bf74014e55359de4df1d596d9a3336e25c64ca04465d6")
}

// UnpackDuplicateSignerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DuplicateSigner(address signer)
func (datasetRegistry *DatasetRegistry) UnpackDuplicateSignerError(raw []byte) (*DatasetRegistryDuplicateSigner, error) {
	out := new(DatasetRegistryDuplicateSigner)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "DuplicateSigner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryInsufficientSignatures represents a InsufficientSignatures error raised by the DatasetRegistry contract.
type DatasetRegistryInsufficientSignatures struct {
	Given    *big.Int
	Required *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientSignatures(uint256 given, uint256 required)
func DatasetRegistryInsufficientSignaturesErrorID() common.Hash {
	return common.HexToHash("0xf1e86aa6cac73d45dee5427a067dce79762a9dae5254b9e2f0dc87c9b6876443")
}

// UnpackInsufficientSignaturesError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientSignatures(uint256 given, uint256 required)
func (datasetRegistry *DatasetRegistry) UnpackInsufficientSignaturesError(raw []byte) (*DatasetRegistryInsufficientSignatures, error) {
	out := new(DatasetRegistryInsufficientSignatures)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "InsufficientSignatures", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryInvalidShortString represents a InvalidShortString error raised by the DatasetRegistry contract.
type DatasetRegistryInvalidShortString struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidShortString()
func DatasetRegistryInvalidShortStringErrorID() common.Hash {
	return common.HexToHash("0xb3512b0c6163e5f0bafab72bb631b9d58cd7a731b082f910338aa21c83d5c274")
}

// UnpackInvalidShortStringError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidShortString()
func (datasetRegistry *DatasetRegistry) UnpackInvalidShortStringError(raw []byte) (*DatasetRegistryInvalidShortString, error) {
	out := new(DatasetRegistryInvalidShortString)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "InvalidShortString", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryInvalidSignature represents a InvalidSignature error raised by the DatasetRegistry contract.
type DatasetRegistryInvalidSignature struct {
	Index *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature(uint256 index)
func DatasetRegistryInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x52bf9848f4f569cd5e845a26f8524878f8ac004dcaace7433d78683624c84a76")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature(uint256 index)
func (datasetRegistry *DatasetRegistry) UnpackInvalidSignatureError(raw []byte) (*DatasetRegistryInvalidSignature, error) {
	out := new(DatasetRegistryInvalidSignature)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryInvalidSteward represents a InvalidSteward error raised by the DatasetRegistry contract.
type DatasetRegistryInvalidSteward struct {
	Steward common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSteward(address steward)
func DatasetRegistryInvalidStewardErrorID() common.Hash {
	return common.HexToHash("0x9c7838fb0b53cd66aea080d09c2f6185aa5d45f6c77097840df48d252db0befa")
}

// UnpackInvalidStewardError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSteward(address steward)
func (datasetRegistry *DatasetRegistry) UnpackInvalidStewardError(raw []byte) (*DatasetRegistryInvalidSteward, error) {
	out := new(DatasetRegistryInvalidSteward)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "InvalidSteward", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryInvalidThreshold represents a InvalidThreshold error raised by the DatasetRegistry contract.
type DatasetRegistryInvalidThreshold struct {
	Threshold    *big.Int
	StewardCount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidThreshold(uint256 threshold, uint256 stewardCount)
func DatasetRegistryInvalidThresholdErrorID() common.Hash {
	return common.HexToHash("0x7b7a98f144b22ac349117faf884147efe6b9d8f459322b9ed0cb76310884f093")
}

// UnpackInvalidThresholdError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidThreshold(uint256 threshold, uint256 stewardCount)
func (datasetRegistry *DatasetRegistry) UnpackInvalidThresholdError(raw []byte) (*DatasetRegistryInvalidThreshold, error) {
	out := new(DatasetRegistryInvalidThreshold)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "InvalidThreshold", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryInvalidVersion represents a InvalidVersion error raised by the DatasetRegistry contract.
type DatasetRegistryInvalidVersion struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidVersion()
func DatasetRegistryInvalidVersionErrorID() common.Hash {
	return common.HexToHash("0xa9146eebce4eb0a5304713148983d3e5e6237160b32fa1cb60ab806d5c36c5ca")
}

// UnpackInvalidVersionError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidVersion()
func (datasetRegistry *DatasetRegistry) UnpackInvalidVersionError(raw []byte) (*DatasetRegistryInvalidVersion, error) {
	out := new(DatasetRegistryInvalidVersion)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "InvalidVersion", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryNotAttested represents a NotAttested error raised by the DatasetRegistry contract.
type DatasetRegistryNotAttested struct {
	Dataset string
	Version uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAttested(string dataset, uint64 version)
func DatasetRegistryNotAttestedErrorID() common.Hash {
	return common.HexToHash("0x952f38b22f97726b6d3b0081a7383224e005204d33bfb62a700bfaebe2005ec3")
}

// UnpackNotAttestedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAttested(string dataset, uint64 version)
func (datasetRegistry *DatasetRegistry) UnpackNotAttestedError(raw []byte) (*DatasetRegistryNotAttested, error) {
	out := new(DatasetRegistryNotAttested)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "NotAttested", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryNotSteward represents a NotSteward error raised by the DatasetRegistry contract.
type DatasetRegistryNotSteward struct {
	Signer common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotSteward(address signer)
func DatasetRegistryNotStewardErrorID() common.Hash {
	return common.HexToHash("0x2047132006ef6892b6cebf3cbf41e5844bc961dfa1990f63242c08d1973a6610")
}

// UnpackNotStewardError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotSteward(address signer)
func (datasetRegistry *DatasetRegistry) UnpackNotStewardError(raw []byte) (*DatasetRegistryNotSteward, error) {
	out := new(DatasetRegistryNotSteward)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "NotSteward", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryStringTooLong represents a StringTooLong error raised by the DatasetRegistry contract.
type DatasetRegistryStringTooLong struct {
	Str string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StringTooLong(string str)
func DatasetRegistryStringTooLongErrorID() common.Hash {
	return common.HexToHash("0x305a27a93f8e33b7392df0a0f91d6fc63847395853c45991eec52dbf24d72381")
}

// UnpackStringTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StringTooLong(string str)
func (datasetRegistry *DatasetRegistry) UnpackStringTooLongError(raw []byte) (*DatasetRegistryStringTooLong, error) {
	out := new(DatasetRegistryStringTooLong)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "StringTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// DatasetRegistryTooManyStewards represents a TooManyStewards error raised by the DatasetRegistry contract.
type DatasetRegistryTooManyStewards struct {
	Count *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TooManyStewards(uint256 count)
func DatasetRegistryTooManyStewardsErrorID() common.Hash {
	return common.HexToHash("0x0249b095bf46b83d128bb14beb9d4c55412bb3f64dff28efb793101316688019")
}

// UnpackTooManyStewardsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TooManyStewards(uint256 count)
func (datasetRegistry *DatasetRegistry) UnpackTooManyStewardsError(raw []byte) (*DatasetRegistryTooManyStewards, error) {
	out := new(DatasetRegistryTooManyStewards)
	if err := datasetRegistry.abi.UnpackIntoInterface(out, "TooManyStewards", raw); err != nil {
		return nil, err
	}
	return out, nil
}
